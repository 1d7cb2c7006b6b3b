import type { InstanceBindings } from "../store/instance-bindings";

interface OpenBinding {
  instanceId: string;
  boundAt: number;
}

/**
 * What provision.ec2_started / ec2_stopped records teach about the workspace→instance
 * mapping, applied during one import. An old log never overrides a newer binding: a started
 * instance becomes current only if nothing newer is bound, otherwise it joins the history.
 * Each workspace's open binding is read once and then mirrored here (one entry a workspace,
 * so memory does not grow with the log); that is valid because an import is the cache's one
 * writer while it runs.
 */
export class BindingLearner {
  private readonly open = new Map<string, OpenBinding | null>();

  constructor(private readonly bindings: InstanceBindings) {}

  /** Returns whether the record taught anything (a re-import teaches nothing). */
  started(workspaceId: string, instanceId: string, at: number): boolean {
    if (this.bindings.isKnown(workspaceId, instanceId)) return false;
    const open = this.openOf(workspaceId);
    if (!open || open.boundAt <= at) {
      this.bindings.bind(workspaceId, instanceId, "provlog", null, at);
      this.open.set(workspaceId, { instanceId, boundAt: at });
    } else {
      this.bindings.recordPast(workspaceId, instanceId, "provlog", at, open.boundAt);
    }
    return true;
  }

  /** The open binding ends if it is this instance and the stop is not older than it. */
  stopped(workspaceId: string, instanceId: string, at: number): boolean {
    const open = this.openOf(workspaceId);
    if (!open || open.instanceId !== instanceId || open.boundAt > at) return false;
    this.bindings.unbind(workspaceId, instanceId, at);
    this.open.set(workspaceId, null);
    return true;
  }

  private openOf(workspaceId: string): OpenBinding | null {
    let open = this.open.get(workspaceId);
    if (open === undefined) {
      open = this.bindings.openBinding(workspaceId);
      this.open.set(workspaceId, open);
    }
    return open;
  }
}
