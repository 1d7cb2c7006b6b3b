import type { InstanceBindings } from "../store/instance-bindings";

interface OpenBinding {
  rowId: number;
  instanceId: string;
  boundAt: number;
}

/**
 * What provision.ec2_started / ec2_stopped records teach about the workspace→instance
 * mapping, applied during one import. An old log never overrides a newer binding: a started
 * instance becomes current only if nothing newer is bound, otherwise it joins the history.
 * The open bindings are read once and then mirrored here (one entry a workspace, so memory
 * does not grow with the log, and no index is needed while a bulk load runs without them);
 * that is valid because an import is the cache's one writer while it runs.
 */
export class BindingLearner {
  private readonly open: Map<string, OpenBinding | null>;

  constructor(private readonly bindings: InstanceBindings) {
    this.open = bindings.allOpen();
  }

  /**
   * Called for records new to the cache only (a re-import teaches nothing); an instance that is
   * already the open binding (bound by a sync or a Start) teaches nothing either.
   */
  started(workspaceId: string, instanceId: string, at: number): boolean {
    const open = this.openOf(workspaceId);
    if (open?.instanceId === instanceId) return false;
    if (!open || open.boundAt <= at) {
      const rowId = this.bindings.replaceOpen(open?.rowId ?? null, workspaceId, instanceId, "provlog", at);
      this.open.set(workspaceId, { rowId, instanceId, boundAt: at });
    } else {
      this.bindings.recordPast(workspaceId, instanceId, "provlog", at, open.boundAt);
    }
    return true;
  }

  /** The open binding ends if it is this instance and the stop is not older than it. */
  stopped(workspaceId: string, instanceId: string, at: number): boolean {
    const open = this.openOf(workspaceId);
    if (!open || open.instanceId !== instanceId || open.boundAt > at) return false;
    this.bindings.closeRow(open.rowId, at);
    this.open.set(workspaceId, null);
    return true;
  }

  private openOf(workspaceId: string): OpenBinding | null {
    return this.open.get(workspaceId) ?? null;
  }
}
