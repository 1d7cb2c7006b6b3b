import type { InstanceBindings } from "../store/instance-bindings";

interface OpenBinding {
  instanceId: string;
  boundAt: number;
}

/**
 * What provision.ec2_started / ec2_stopped records teach about the workspace→instance
 * mapping, applied during one import. An old log never overrides a newer binding: a started
 * instance becomes current only if nothing newer is bound, otherwise it joins the history.
 * A mirror of each touched workspace's bindings, read once, saves three lookups per record on
 * a large import; it is valid because an import is the cache's one writer while it runs.
 */
export class BindingLearner {
  private readonly open = new Map<string, OpenBinding | null>();
  private readonly known = new Map<string, Set<string>>();

  constructor(private readonly bindings: InstanceBindings) {}

  /** Returns whether the record taught anything (a re-import teaches nothing). */
  started(workspaceId: string, instanceId: string, at: number): boolean {
    const known = this.load(workspaceId);
    if (known.has(instanceId)) return false;
    known.add(instanceId);
    const open = this.open.get(workspaceId) ?? null;
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
    this.load(workspaceId);
    const open = this.open.get(workspaceId) ?? null;
    if (!open || open.instanceId !== instanceId || open.boundAt > at) return false;
    this.bindings.unbind(workspaceId, instanceId, at);
    this.open.set(workspaceId, null);
    return true;
  }

  private load(workspaceId: string): Set<string> {
    let known = this.known.get(workspaceId);
    if (!known) {
      known = new Set(this.bindings.historyOf(workspaceId).map((b) => b.instanceId));
      this.known.set(workspaceId, known);
      const open = this.bindings.openBinding(workspaceId);
      this.open.set(workspaceId, open);
    }
    return known;
  }
}
