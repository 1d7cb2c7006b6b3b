import type { Timers } from "./timers";
import type { CpInstance, InstanceState } from "./types";

export interface InstanceRecord {
  data: CpInstance;
  startedMs: number;
  stoppedMs: number | null;
  timer: NodeJS.Timeout | undefined;
}

export interface InstanceTiming {
  pendingMs: number;
  stoppingMs: number;
}

/** EC2 ids: `i-` + 8 (legacy) or 17 lowercase hex. A workspace UUID sent here is the seed's
 * Stop incident (InvalidInstanceID.Malformed), so the CP routes check this shape first. */
export const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function isLive(state: InstanceState): boolean {
  return state === "pending" || state === "running";
}

/** How the CP judges `?instance_id=` for a workspace: the instance, or the error it answers. */
export type Resolution = { instance: InstanceRecord } | { status: number; error: string };

/** The CP's instance table and its state machine: pending → running, stopping → terminated. */
export class InstanceTable {
  private readonly byId = new Map<string, InstanceRecord>();
  private readonly byWorkspace = new Map<string, InstanceRecord[]>();

  constructor(
    private readonly timers: Timers,
    private readonly timing: InstanceTiming,
    private readonly now: () => number,
    private readonly onTerminated: (record: InstanceRecord) => void,
  ) {}

  /** Adds an instance in whatever state it has; a pending one still boots, a stopping one still stops. */
  insert(data: CpInstance, startedMs: number, stoppedMs: number | null = null): InstanceRecord {
    if (this.byId.has(data.instance_id)) throw new Error(`instance ${data.instance_id} already exists`);
    const record: InstanceRecord = { data, startedMs, stoppedMs, timer: undefined };
    this.byId.set(data.instance_id, record);
    const list = this.byWorkspace.get(data.workspace_id) ?? [];
    list.push(record);
    this.byWorkspace.set(data.workspace_id, list);
    if (data.state === "pending") this.schedule(record, this.timing.pendingMs, "running");
    if (data.state === "stopping") this.schedule(record, this.timing.stoppingMs, "terminated");
    return record;
  }

  has(instanceId: string): boolean {
    return this.byId.has(instanceId);
  }

  get(instanceId: string): InstanceRecord | undefined {
    return this.byId.get(instanceId);
  }

  latestFor(workspaceId: string): InstanceRecord | undefined {
    return this.byWorkspace.get(workspaceId)?.at(-1);
  }

  liveFor(workspaceId: string): InstanceRecord | undefined {
    return this.byWorkspace.get(workspaceId)?.find((record) => isLive(record.data.state));
  }

  list(): CpInstance[] {
    return [...this.byId.values()].map((record) => ({ ...record.data }));
  }

  /**
   * `?instance_id=` as EC2 would judge it; a workspace UUID is the seed's Stop incident. Another
   * workspace's instance looks exactly like an unknown one: no cross-workspace probing.
   */
  resolve(workspaceId: string, instanceId: string | null): Resolution {
    if (instanceId === null || instanceId === "") return { status: 400, error: "instance_id is required" };
    if (!INSTANCE_ID.test(instanceId)) {
      return { status: 400, error: `InvalidInstanceID.Malformed: ${instanceId} is malformed` };
    }
    const instance = this.byId.get(instanceId);
    if (!instance || instance.data.workspace_id !== workspaceId) {
      return { status: 404, error: `InvalidInstanceID.NotFound: The instance ID '${instanceId}' does not exist` };
    }
    return { instance };
  }

  /** TerminateInstances: idempotent on an instance that is already going away. */
  stop(record: InstanceRecord): void {
    if (!isLive(record.data.state)) return;
    this.timers.cancel(record.timer);
    record.data.state = "stopping";
    record.stoppedMs = this.now();
    this.schedule(record, this.timing.stoppingMs, "terminated");
  }

  /** A test's override: no follow-up transition, no tenant side effect. */
  force(record: InstanceRecord, state: InstanceState): void {
    this.timers.cancel(record.timer);
    record.timer = undefined;
    record.data.state = state;
    if (state === "stopping" || state === "terminated") record.stoppedMs ??= this.now();
  }

  private schedule(record: InstanceRecord, ms: number, next: InstanceState): void {
    record.timer = this.timers.after(ms, () => {
      record.timer = undefined;
      record.data.state = next;
      if (next === "terminated") this.onTerminated(record);
    });
  }
}
