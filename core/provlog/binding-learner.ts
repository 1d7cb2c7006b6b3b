import type { InstanceBindings, LearntBinding } from "../store/instance-bindings";

interface OpenBinding {
  /** The row: already stored, or learnt in the batch being written (its id given at flush). */
  row: LearntBinding;
  /** Whether the row is in the cache already (closing it is an UPDATE) or waits for flush. */
  stored: boolean;
}

/**
 * What provision.ec2_started / ec2_stopped records teach about the workspace→instance
 * mapping, applied during one import. An old log never overrides a newer binding: a started
 * instance becomes current only if nothing newer is bound, otherwise it joins the history.
 * The open bindings are read once and then mirrored here (one entry a workspace, so memory
 * does not grow with the log, and no index is needed while a bulk load runs without them);
 * that is valid because an import is the cache's one writer while it runs.
 *
 * Set-wise: a batch's bindings are worked out here and written by `flush`, in the batch's own
 * transaction: its new rows in a few multi-row INSERTs (a row opened and closed within the batch
 * goes in closed), and its closes of rows stored before in a few multi-row UPDATEs — the same
 * rows, ids and values as one statement an event, at a tenth of the statements.
 */
export class BindingLearner {
  private readonly open: Map<string, OpenBinding | null>;
  private learnt: LearntBinding[] = [];
  private closedIds: number[] = [];
  private closedAt: number[] = [];

  constructor(private readonly bindings: InstanceBindings) {
    this.open = new Map();
    for (const [ws, o] of bindings.allOpen()) {
      const row = {
        id: o.rowId,
        workspaceId: ws,
        instanceId: o.instanceId,
        source: "provlog" as const,
        boundAt: o.boundAt,
        unboundAt: null,
      };
      this.open.set(ws, { row, stored: true });
    }
  }

  /**
   * Called for records new to the cache only (a re-import teaches nothing); an instance that is
   * already the open binding (bound by a sync or a Start) teaches nothing either.
   */
  started(workspaceId: string, instanceId: string, at: number): boolean {
    const open = this.openOf(workspaceId);
    if (open?.row.instanceId === instanceId) return false;
    if (!open || open.row.boundAt <= at) {
      if (open) this.close(open, at);
      const row: LearntBinding = { id: 0, workspaceId, instanceId, source: "provlog", boundAt: at, unboundAt: null };
      this.learnt.push(row);
      this.open.set(workspaceId, { row, stored: false });
    } else {
      this.learnt.push({ id: 0, workspaceId, instanceId, source: "provlog", boundAt: at, unboundAt: open.row.boundAt });
    }
    return true;
  }

  /** The open binding ends if it is this instance and the stop is not older than it. */
  stopped(workspaceId: string, instanceId: string, at: number): boolean {
    const open = this.openOf(workspaceId);
    if (!open || open.row.instanceId !== instanceId || open.row.boundAt > at) return false;
    this.close(open, at);
    this.open.set(workspaceId, null);
    return true;
  }

  /** Writes what the batch taught; called inside the batch's transaction, after started/stopped. */
  flush(): void {
    if (this.learnt.length > 0) {
      let id = this.bindings.lastRowId();
      for (const row of this.learnt) row.id = ++id;
      this.bindings.insertLearnt(this.learnt);
      for (const open of this.open.values()) if (open) open.stored = true;
      this.learnt = [];
    }
    if (this.closedIds.length > 0) {
      this.bindings.closeLearnt(this.closedIds, this.closedAt);
      this.closedIds = [];
      this.closedAt = [];
    }
  }

  private close(open: OpenBinding, at: number): void {
    if (open.stored) {
      this.closedIds.push(open.row.id);
      this.closedAt.push(at);
    } else open.row.unboundAt = at;
  }

  private openOf(workspaceId: string): OpenBinding | null {
    return this.open.get(workspaceId) ?? null;
  }
}
