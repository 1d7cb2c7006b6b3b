import { logTail } from "../core/tenant/log-tail";
import { renderBootConsole } from "./boot-console";
import { LIVE_STATUSES, STATUS_EVENT } from "./catalog";
import { EventLog } from "./event-log";
import { type InstanceRecord, InstanceTable, isLive } from "./instance-table";
import type { ResolvedSimOptions } from "./options";
import { createPrng, hashSeed, type Prng } from "./prng";
import { RequestLog } from "./request-log";
import { instanceIdFrom, privateIpFrom, seedWorld } from "./seed";
import { Timers } from "./timers";
import type { CpInstance, InstanceState, RequestRecord, SimEvent, SimState, TenantWorkspace } from "./types";
import { toPublicWorkspace, type WorkspaceRecord } from "./workspace-record";

/** SPEC §5: the console tail attached to a bootstrap failure is at most 8 KiB. */
export const LOG_TAIL_BYTES = 8 * 1024;

/**
 * The emulated world: the CP's instances and one tenant's workspaces, kept coherent the way
 * production is (a tenant restart stops the old instance and boots a new one; a CP Stop of a
 * workspace's instance takes the workspace offline), so the console sees live changes.
 */
export class SimWorld implements SimState {
  readonly timers = new Timers();
  readonly requestLog = new RequestLog();
  readonly instanceTable: InstanceTable;
  private readonly eventLog = new EventLog();
  private readonly byId = new Map<string, WorkspaceRecord>();
  private readonly brokenStatus = new Set<string>();
  /** Runtime stream (new instance ids, crash boots, event ids), separate from the seeding stream. */
  private readonly rng: Prng;

  constructor(readonly options: ResolvedSimOptions) {
    this.rng = createPrng(hashSeed(options.seed, "runtime"));
    this.instanceTable = new InstanceTable(this.timers, options.timing, (record) => this.instanceTerminated(record));
    const now = Date.now();
    const seeded = seedWorld({ seed: options.seed, count: options.workspaces, now, crashRatio: options.crashRatio });
    for (const record of seeded.workspaces) this.byId.set(record.data.id, record);
    for (const instance of seeded.instances)
      this.instanceTable.insert(instance.data, instance.startedMs, instance.stoppedMs);
    this.eventLog.seed(seeded.events);
    for (const record of seeded.workspaces) {
      const instance = record.data.instance_id ? this.instanceTable.get(record.data.instance_id) : undefined;
      if (record.data.status === "provisioning" && instance)
        this.scheduleBoot(record, instance, options.timing.provisioningMs);
    }
    // The first online ones in seed order: the same seed flaps the same workspaces.
    const flappers = seeded.workspaces.filter((record) => record.data.status === "online").slice(0, options.flapping);
    for (const record of flappers) this.flap(record.data.id, options.timing.flapMs);
  }

  // --- SimState (copies out, for tests) ---

  workspaces(): TenantWorkspace[] {
    const now = Date.now();
    return [...this.byId.values()].map((record) => toPublicWorkspace(record, now));
  }

  workspace(id: string): TenantWorkspace | undefined {
    const record = this.byId.get(id);
    return record ? toPublicWorkspace(record, Date.now()) : undefined;
  }

  instances(): CpInstance[] {
    return this.instanceTable.list();
  }

  instance(instanceId: string): CpInstance | undefined {
    const record = this.instanceTable.get(instanceId);
    return record ? { ...record.data } : undefined;
  }

  events(): SimEvent[] {
    return this.eventLog.latest(Number.POSITIVE_INFINITY);
  }

  requests(): RequestRecord[] {
    return this.requestLog.list();
  }

  setWorkspaceStatus(id: string, status: string): TenantWorkspace {
    const record = this.mustFind(id);
    this.timers.cancel(record.bootTimer);
    record.bootTimer = undefined;
    // SPEC §3: WORKSPACE_PROVISION_FAILED always carries an error.
    const payload = status === "failed" ? { error: record.data.last_sample_error ?? "failed", source: "sim" } : {};
    this.changeStatus(record, status, payload);
    return toPublicWorkspace(record, Date.now());
  }

  setInstanceState(instanceId: string, state: InstanceState): CpInstance {
    const record = this.instanceTable.get(instanceId);
    if (!record) throw new Error(`sim: no instance ${instanceId}`);
    this.instanceTable.force(record, state);
    return { ...record.data };
  }

  addWorkspace(partial: Partial<TenantWorkspace> = {}): TenantWorkspace {
    const id = partial.id ?? this.rng.uuid();
    if (this.byId.has(id)) throw new Error(`sim: workspace ${id} already exists`);
    const status = partial.status ?? "online";
    const runtime = partial.runtime ?? "langgraph";
    const tier = partial.tier ?? 2;
    let instanceId = partial.instance_id;
    let url: string | null = null;
    if (instanceId === undefined) {
      instanceId = null;
      if (LIVE_STATUSES.has(status)) {
        const instance = this.createInstance(id, runtime, tier, status === "provisioning" ? "pending" : "running");
        instanceId = instance.data.instance_id;
        if (status !== "provisioning") url = `http://${instance.data.private_ip}:8000`;
      }
    }
    const now = Date.now();
    const iso = new Date(now).toISOString();
    const data: TenantWorkspace = {
      name: `workspace-${id.slice(0, 8)}`,
      role: "assistant",
      url,
      parent_id: null,
      active_tasks: 0,
      last_error_rate: 0,
      last_sample_error: null,
      current_task: null,
      created_at: iso,
      updated_at: iso,
      ...partial,
      id,
      status,
      runtime,
      tier,
      instance_id: instanceId,
      uptime_seconds: 0,
    };
    const up = status === "online" || status === "degraded" ? now - (partial.uptime_seconds ?? 0) * 1000 : null;
    const record: WorkspaceRecord = { data, onlineSince: up, bootTimer: undefined };
    this.byId.set(id, record);
    return toPublicWorkspace(record, now);
  }

  removeLeavingInstance(id: string): TenantWorkspace {
    const record = this.mustFind(id);
    this.timers.cancel(record.bootTimer);
    record.bootTimer = undefined;
    // The platform's Delete read a CP 5xx as success: the row says removed and forgets the
    // instance, which keeps running (seed: 13 zombie EC2s on demo-prep staging).
    Object.assign(record.data, { instance_id: null, url: null, active_tasks: 0, current_task: null });
    record.onlineSince = null;
    this.changeStatus(record, "removed", {});
    return toPublicWorkspace(record, Date.now());
  }

  corruptBinding(id: string): TenantWorkspace {
    const record = this.mustFind(id);
    record.data.instance_id = record.data.id;
    return toPublicWorkspace(record, Date.now());
  }

  addStuckBoot(minutesAgo: number, partial: Partial<TenantWorkspace> = {}): TenantWorkspace {
    const ws = this.addWorkspace({ ...partial, status: "online", instance_id: null });
    const record = this.mustFind(ws.id);
    const startedMs = Date.now() - minutesAgo * 60_000;
    let instanceId = instanceIdFrom(this.rng);
    while (this.instanceTable.has(instanceId)) instanceId = instanceIdFrom(this.rng);
    this.instanceTable.insert(
      {
        instance_id: instanceId,
        workspace_id: ws.id,
        state: "running",
        created_at: new Date(startedMs).toISOString(),
        crash: true,
        runtime: ws.runtime,
        tier: ws.tier,
        private_ip: privateIpFrom(this.rng),
      },
      startedMs,
    );
    // Provisioning since then, and the platform has not given up yet: no boot timer runs.
    Object.assign(record.data, {
      status: "provisioning",
      instance_id: instanceId,
      url: null,
      updated_at: new Date(startedMs).toISOString(),
    });
    record.onlineSince = null;
    return toPublicWorkspace(record, Date.now());
  }

  breakStatus(instanceId: string, broken = true): void {
    if (broken) this.brokenStatus.add(instanceId);
    else this.brokenStatus.delete(instanceId);
  }

  statusBroken(instanceId: string): boolean {
    return this.brokenStatus.has(instanceId);
  }

  onEvent(listener: (event: SimEvent) => void): () => void {
    return this.eventLog.onEvent(listener);
  }

  /**
   * A workspace whose health wobbles, so the console has live changes to show and its reactive
   * health (SPEC §5) something to cope with. Each flip goes through changeStatus, hence is an
   * event on /events and /ws. A flip waits while the workspace is in any other status (stopped,
   * restarting, failed): flapping must never bring a workspace without compute "online"; it
   * resumes once the workspace is back up.
   */
  flap(id: string, everyMs: number): () => void {
    const record = this.mustFind(id);
    if (!(everyMs > 0)) throw new Error("sim: flap interval must be a positive number of ms");
    let timer: NodeJS.Timeout | undefined;
    const flip = () => {
      const next = flapTarget(record.data.status);
      if (next) this.changeStatus(record, next, { instance_id: record.data.instance_id });
      timer = this.timers.after(everyMs, flip);
    };
    timer = this.timers.after(everyMs, flip);
    return () => this.timers.cancel(timer);
  }

  // --- used by the routes ---

  find(id: string): WorkspaceRecord | undefined {
    return this.byId.get(id);
  }

  publicWorkspace(record: WorkspaceRecord): TenantWorkspace {
    return toPublicWorkspace(record, Date.now());
  }

  latestEvents(limit: number): SimEvent[] {
    return this.eventLog.latest(limit);
  }

  /** RunInstances for a workspace; when the tenant knows that workspace it starts booting on it. */
  provision(workspaceId: string, runtime: string, tier: number): InstanceRecord {
    const instance = this.createInstance(workspaceId, runtime, tier, "pending");
    const workspace = this.byId.get(workspaceId);
    if (workspace) this.startBoot(workspace, instance);
    return instance;
  }

  /** The tenant's restart: stop whatever compute the workspace has, boot a new instance. */
  restart(record: WorkspaceRecord): void {
    for (;;) {
      const live = this.instanceTable.liveFor(record.data.id);
      if (!live) break;
      this.instanceTable.stop(live);
    }
    this.startBoot(record, this.createInstance(record.data.id, record.data.runtime, record.data.tier, "pending"));
  }

  /** POST bootstrap-failed: acts only while provisioning, so a repeated report changes nothing. */
  reportBootstrapFailure(
    record: WorkspaceRecord,
    error: string,
    reportedTail: string,
  ): { status: string; changed: boolean } {
    if (record.data.status !== "provisioning") return { status: record.data.status, changed: false };
    const tail = logTail(reportedTail, LOG_TAIL_BYTES);
    this.timers.cancel(record.bootTimer);
    record.bootTimer = undefined;
    record.data.last_sample_error = tail ? `${error}\n${tail}` : error;
    this.changeStatus(record, "failed", { error, log_tail: tail, source: "bootstrap_watcher" });
    return { status: "failed", changed: true };
  }

  consoleOf(instance: InstanceRecord): string {
    return renderBootConsole({
      seed: this.options.seed,
      instanceId: instance.data.instance_id,
      workspaceId: instance.data.workspace_id,
      runtime: instance.data.runtime,
      tier: instance.data.tier,
      privateIp: instance.data.private_ip,
      crash: instance.data.crash,
      startedAt: instance.startedMs,
      stoppedAt: instance.stoppedMs,
      bootMs: this.options.timing.provisioningMs,
      now: Date.now(),
    });
  }

  close(): void {
    this.timers.clearAll();
  }

  // --- internals ---

  private mustFind(id: string): WorkspaceRecord {
    const record = this.byId.get(id);
    if (!record) throw new Error(`sim: no workspace ${id}`);
    return record;
  }

  private createInstance(workspaceId: string, runtime: string, tier: number, state: InstanceState): InstanceRecord {
    let instanceId = instanceIdFrom(this.rng);
    while (this.instanceTable.has(instanceId)) instanceId = instanceIdFrom(this.rng);
    const now = Date.now();
    const data: CpInstance = {
      instance_id: instanceId,
      workspace_id: workspaceId,
      state,
      created_at: new Date(now).toISOString(),
      crash: this.rng.chance(this.options.crashRatio),
      runtime,
      tier,
      private_ip: privateIpFrom(this.rng),
    };
    return this.instanceTable.insert(data, now);
  }

  private startBoot(record: WorkspaceRecord, instance: InstanceRecord): void {
    this.timers.cancel(record.bootTimer);
    Object.assign(record.data, {
      instance_id: instance.data.instance_id,
      url: null,
      active_tasks: 0,
      current_task: null,
    });
    record.onlineSince = null;
    const { runtime, tier, instance_id } = instance.data;
    this.changeStatus(record, "provisioning", { runtime, tier, instance_id });
    this.scheduleBoot(record, instance, this.options.timing.provisioningMs);
  }

  private scheduleBoot(record: WorkspaceRecord, instance: InstanceRecord, ms: number): void {
    record.bootTimer = this.timers.after(ms, () => this.finishBoot(record, instance));
  }

  private finishBoot(record: WorkspaceRecord, instance: InstanceRecord): void {
    record.bootTimer = undefined;
    // Someone else decided meanwhile (bootstrap-failed, a test, another boot): leave it.
    if (record.data.status !== "provisioning" || record.data.instance_id !== instance.data.instance_id) return;
    if (instance.data.state === "pending") {
      const left = instance.startedMs + this.options.timing.pendingMs - Date.now();
      this.scheduleBoot(record, instance, Math.max(10, left));
      return;
    }
    if (!isLive(instance.data.state)) {
      const error = `instance ${instance.data.instance_id} is ${instance.data.state}`;
      this.fail(record, error, "", "provisioner");
      return;
    }
    if (instance.data.crash) {
      const consoleText = this.consoleOf(instance);
      const lastLine = consoleText.trimEnd().split("\r\n").at(-1) ?? "";
      this.fail(record, `RUNTIME CRASHED: ${lastLine}`, logTail(consoleText, LOG_TAIL_BYTES), "provisioner");
      return;
    }
    record.onlineSince = Date.now();
    Object.assign(record.data, { url: `http://${instance.data.private_ip}:8000`, last_sample_error: null });
    this.changeStatus(record, "online", { instance_id: instance.data.instance_id });
  }

  private fail(record: WorkspaceRecord, error: string, logTail: string, source: string): void {
    record.data.last_sample_error = error;
    this.changeStatus(record, "failed", { error, log_tail: logTail, source });
  }

  /** CP side of a Stop: once the workspace's own instance is gone, the platform sees it offline. */
  private instanceTerminated(instance: InstanceRecord): void {
    const record = this.byId.get(instance.data.workspace_id);
    if (!record || record.data.instance_id !== instance.data.instance_id) return;
    this.timers.cancel(record.bootTimer);
    record.bootTimer = undefined;
    Object.assign(record.data, { instance_id: null, url: null, active_tasks: 0, current_task: null });
    record.onlineSince = null;
    if (LIVE_STATUSES.has(record.data.status))
      this.changeStatus(record, "offline", { instance_id: instance.data.instance_id });
  }

  private changeStatus(record: WorkspaceRecord, status: string, payload: Record<string, unknown>): void {
    const now = new Date();
    record.data.status = status;
    record.data.updated_at = now.toISOString();
    const type = STATUS_EVENT[status];
    if (!type) return;
    this.eventLog.append({
      id: this.rng.uuid(),
      event_type: type,
      workspace_id: record.data.id,
      payload,
      created_at: now.toISOString(),
    });
  }
}

function flapTarget(status: string): string | undefined {
  if (status === "online") return "degraded";
  if (status === "degraded") return "online";
  return undefined;
}
