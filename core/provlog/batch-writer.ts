import type { Redactor } from "../config/redactor";
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

  /**
   * `redactor`: the profile's secrets, removed from every string of a record before it is stored
   * (a tenant's log is upstream text: it may hold a secret an env dump or a header dump printed).
   */
  constructor(store: Store, redactor?: Redactor) {
    this.learner = new BindingLearner(store.bindings);
    const clean = redactor?.active ? (b: RecordBatch) => redactBatch(b, redactor) : (b: RecordBatch) => b;
    this.write = store.db.transaction((batch: RecordBatch) => {
      const b = clean(batch);
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
      this.learner.flush();
    });
  }
}

/**
 * The batch with every configured secret removed from its strings (docs/contracts.md §5). The
 * dedup keys stay those of the records as read, so a re-import still adds nothing. A payload
 * that holds a secret is redacted as parsed JSON (keys too) and written back as JSON, so that the
 * stored fields stay a JSON document; the rest are kept byte for byte.
 */
export function redactBatch(b: RecordBatch, redactor: Redactor): RecordBatch {
  const text = (s: string) => redactor.text(s);
  const orNull = (s: string | null) => (s === null ? null : text(s));
  const fields = b.fields.map((f) => {
    if (text(f) === f) return f;
    try {
      return JSON.stringify(redactor.value(JSON.parse(f)));
    } catch {
      return JSON.stringify(text(f));
    }
  });
  return {
    ...b,
    event: b.event.map(text),
    workspaceId: b.workspaceId.map(orNull),
    instanceId: b.instanceId.map(orNull),
    fields,
  };
}
