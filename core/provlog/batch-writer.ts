import type { Store } from "../store/store";
import { NO_STAMP } from "../store/timeline-events";
import { BindingLearner } from "./binding-learner";
import type { RecordBatch } from "./record-batch";

/**
 * Writes record batches into the cache, one transaction a batch (a kill -9 leaves whole
 * batches only), and lets provision.ec2_started / ec2_stopped records teach the
 * workspace→instance mapping.
 */
export class BatchWriter {
  added = 0;
  duplicates = 0;
  bindings = 0;
  private readonly learner: BindingLearner;
  readonly write: (batch: RecordBatch) => void;

  constructor(store: Store) {
    this.learner = new BindingLearner(store.bindings);
    this.write = store.db.transaction((b: RecordBatch) => {
      const r = store.events.recordMany(b, "provlog");
      this.added += r.added;
      this.duplicates += r.duplicates;
      // Only records new to the cache teach anything: one already there taught it when it was
      // stored, in the same transaction.
      for (let i = 0; i < b.count; i++) {
        if (r.fresh[i] === 0) continue;
        const event = b.event[i];
        if (event !== "provision.ec2_started" && event !== "provision.ec2_stopped") continue;
        const ws = b.workspaceId[i];
        const instance = b.instanceId[i];
        const ts = b.ts[i]!;
        if (!ws || !instance || ts === NO_STAMP) continue;
        const learnt =
          event === "provision.ec2_started"
            ? this.learner.started(ws, instance, ts)
            : this.learner.stopped(ws, instance, ts);
        if (learnt) this.bindings++;
      }
    });
  }
}
