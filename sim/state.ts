import { logTail } from "../core/tenant/log-tail";
import { heartbeat } from "./agent-heartbeat";
import { renderBootConsole } from "./boot-console";
import { scheduleBoot } from "./boot-flow";
import { type BootstrapReport, bootstrapReport, TAIL_CAP_BYTES } from "./bootstrap-report";
import { STATUS_EVENT } from "./catalog";
import { chatOnce } from "./chat-ticker";
import { SimClock } from "./clock";
import { EventLog } from "./event-log";
import { FeedHub } from "./feed-hub";
import { goMap, jsonbOrder } from "./go-json-body";
import { type InstanceRecord, InstanceTable } from "./instance-table";
import type { ResolvedSimOptions } from "./options";
import { PhaseTicker } from "./phase-ticker";
import { createPrng, hashSeed, type Prng } from "./prng";
import { RequestLog } from "./request-log";
import { autoRestart } from "./restart-flow";
import { type SeedStory, seedWorld } from "./seed";
import { seedHistory } from "./seed-history";
import { instanceIdFrom, privateIpFrom } from "./seed-vocabulary";
import { ServerLog } from "./server-log";
import { statusPayload } from "./status-events";
import { Timers } from "./timers";
import type {
  CpInstance,
  FeedMessage,
  InstanceState,
  RequestRecord,
  SimEvent,
  SimState,
  TenantWorkspace,
  WorkspaceInput,
} from "./types";
import { parseUuid } from "./uuid";
import { toListJson, type WorkspaceRecord } from "./workspace-record";
import { addStuckBoot, addWorkspace, corruptBinding, removeLeavingInstance } from "./world-drivers";

/**
 * The emulated world: the CP's instances and one tenant's workspaces, kept coherent the way
 * production is (a tenant restart stops the old machine and boots a new one; a machine that dies
 * under its agent takes the workspace offline), with the tenant's event table, its /ws hub, its
 * agents' heartbeats and chat, and its server log. Every timestamp comes from one clock.
 */
export class SimWorld implements SimState {
  readonly clock: SimClock;
  readonly timers = new Timers();
  readonly requestLog: RequestLog;
  readonly instanceTable: InstanceTable;
  readonly log: ServerLog;
  readonly feed: FeedHub;
  private readonly eventLog = new EventLog();
  private readonly byId = new Map<string, WorkspaceRecord>();
  private readonly brokenStatus = new Set<string>();
  /** Runtime stream (new instance ids, crash boots, event ids), separate from the seeding stream. */
  readonly rng: Prng;
  private readonly heartbeats: PhaseTicker<WorkspaceRecord> | null;

  constructor(readonly options: ResolvedSimOptions) {
    this.clock = new SimClock(options.startAt);
    const now = () => this.clock.now();
    this.requestLog = new RequestLog(now);
    this.rng = createPrng(hashSeed(options.seed, "runtime"));
    this.log = new ServerLog(options.logFile);
    this.feed = new FeedHub(this.clock, this.timers);
    this.instanceTable = new InstanceTable(this.timers, options.timing, now, (record) =>
      this.instanceTerminated(record),
    );
    const { heartbeatMs } = options.timing;
    this.heartbeats =
      heartbeatMs > 0 ? new PhaseTicker(heartbeatMs, options.startAt, (w, at, k) => heartbeat(this, w, at, k)) : null;

    // Seeded as of startAt exactly, so the same seed and start give the same bytes.
    const stories = seedWorld({
      seed: options.seed,
      count: options.workspaces,
      now: options.startAt,
      crashRatio: options.crashRatio,
    });
    const failures = new Map<string, BootstrapReport>();
    for (const story of stories) this.adopt(story, failures);
    const history = seedHistory({ seed: options.seed, stories, failures, cp: options.cp });
    for (const event of history.events) this.eventLog.insert(event);
    this.log.writeHistory(history.log);

    // The first online ones in seed order: the same seed flaps the same workspaces.
    const flappers = stories.filter((s) => s.record.status === "online" && s.record.runtime !== "external");
    const flapIds = flappers.slice(0, options.flapping).map((story) => story.record.id);
    // A steady rate over all of them in turn, or each on its own timer (every timing.flapMs).
    if (options.flapRate !== null && flapIds.length > 0) this.churn(flapIds, options.flapRate);
    else for (const id of flapIds) this.flap(id, options.timing.flapMs);
    if (this.heartbeats) {
      const ticker = this.heartbeats;
      this.timers.every(Math.min(100, Math.max(5, heartbeatMs / 10)), () => ticker.tick(this.clock.now()));
    }
    if (options.timing.chatMs > 0) {
      let n = 0;
      this.timers.every(options.timing.chatMs, () => chatOnce(this, n++));
    }
  }

  // --- SimState (copies out, for tests) ---

  now(): number {
    return this.clock.now();
  }

  workspaces(): TenantWorkspace[] {
    return this.records().map((record) => toListJson(record, this.uptimeOf(record)));
  }

  workspace(id: string): TenantWorkspace | undefined {
    const record = this.find(id);
    return record ? toListJson(record, this.uptimeOf(record)) : undefined;
  }

  instanceOf(workspaceId: string): string | null {
    return this.find(workspaceId)?.instanceId ?? null;
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
    if (status === "online" || status === "degraded") record.onlineSince ??= this.clock.now();
    else this.agentGone(record);
    if (status === "failed" && record.lastSampleError === "") record.lastSampleError = "provisioning failed";
    this.changeStatus(record, status);
    return toListJson(record, this.uptimeOf(record));
  }

  setInstanceState(instanceId: string, state: InstanceState): CpInstance {
    const record = this.instanceTable.get(instanceId);
    if (!record) throw new Error(`sim: no instance ${instanceId}`);
    this.instanceTable.force(record, state);
    return { ...record.data };
  }

  addWorkspace(partial: WorkspaceInput = {}): TenantWorkspace {
    return addWorkspace(this, partial);
  }

  removeLeavingInstance(id: string): TenantWorkspace {
    return removeLeavingInstance(this, this.mustFind(id));
  }

  corruptBinding(id: string): TenantWorkspace {
    return corruptBinding(this, this.mustFind(id));
  }

  addStuckBoot(minutesAgo: number, partial: WorkspaceInput = {}): TenantWorkspace {
    return addStuckBoot(this, minutesAgo, partial);
  }

  breakStatus(instanceId: string, broken = true): void {
    if (broken) this.brokenStatus.add(instanceId);
    else this.brokenStatus.delete(instanceId);
  }

  onEvent(listener: (event: SimEvent) => void): () => void {
    return this.eventLog.onEvent(listener);
  }

  onBroadcast(listener: (message: FeedMessage) => void): () => void {
    return this.feed.onMessage(listener);
  }

  /**
   * A workspace whose health wobbles, so the console has live changes to show and its reactive
   * health (docs/contracts.md §5) something to cope with: the platform's own transitions (registry.go
   * evaluateStatus: degraded at an error rate of 0.5 or more, online again below 0.1), recorded
   * with their payloads. A flip waits while the workspace is in any other status: flapping must
   * never bring a workspace without compute "online"; it resumes once the workspace is back up.
   */
  flap(id: string, everyMs: number): () => void {
    const record = this.mustFind(id);
    if (!(everyMs > 0)) throw new Error("sim: flap interval must be a positive number of ms");
    let timer: NodeJS.Timeout | undefined;
    let flips = 0;
    const flip = () => {
      if (this.flipHealth(record, flips)) flips++;
      timer = this.timers.after(everyMs, flip);
    };
    timer = this.timers.after(everyMs, flip);
    return () => this.timers.cancel(timer);
  }

  /**
   * A steady rate of status changes: the workspaces flip (as flap() flips them) one after the
   * other, round-robin, `perSecond` flips a second in all, paced by the clock rather than by
   * timer counts (a late tick catches up, at most a second's worth). A workspace in another
   * status is skipped, and its turn is not made up. Returns the function that stops it.
   */
  churn(ids: readonly string[], perSecond: number): () => void {
    const records = ids.map((id) => this.mustFind(id));
    if (records.length === 0) throw new Error("sim: churn needs at least one workspace");
    if (!(Number.isFinite(perSecond) && perSecond > 0))
      throw new Error("sim: churn rate must be a positive number of changes a second");
    const started = this.clock.now();
    const flips = records.map(() => 0);
    let done = 0;
    let turn = 0;
    const tick = () => {
      const due = Math.floor(((this.clock.now() - started) * perSecond) / 1000);
      if (due - done > perSecond) done = due - Math.ceil(perSecond);
      for (; done < due; done++, turn = (turn + 1) % records.length) {
        const n = flips[turn] as number;
        if (this.flipHealth(records[turn] as WorkspaceRecord, n)) flips[turn] = n + 1;
      }
    };
    const timer = this.timers.every(Math.min(100, Math.max(5, Math.floor(1000 / perSecond))), tick);
    return () => this.timers.cancel(timer);
  }

  /**
   * online → degraded (error rate 0.6; the sample error alternates with the workspace's count of
   * earlier degradations) or degraded → online; any other status: nothing. True when it degraded.
   */
  private flipHealth(record: WorkspaceRecord, degradations: number): boolean {
    if (record.status === "online") {
      record.lastErrorRate = 0.6;
      record.lastSampleError = degradations % 2 === 0 ? "upstream model timeout after 60s" : "429 Too Many Requests";
      this.changeStatus(record, "degraded");
      return true;
    }
    if (record.status === "degraded") {
      record.lastErrorRate = 0.02;
      record.lastSampleError = "";
      this.changeStatus(record, "online");
    }
    return false;
  }

  // --- used by the routes and the flows ---

  /** The workspace by id, as the uuid column compares it (case-insensitive, canonical form). */
  find(id: string): WorkspaceRecord | undefined {
    return this.byId.get(id) ?? this.byId.get(parseUuid(id) ?? "");
  }

  /** Every workspace in the list's order (ORDER BY created_at). */
  records(): WorkspaceRecord[] {
    return [...this.byId.values()].sort((a, b) => a.createdMicros - b.createdMicros);
  }

  /** Adds a row; its agent heartbeats from now on. */
  insertRecord(record: WorkspaceRecord): void {
    if (this.byId.has(record.id)) throw new Error(`sim: workspace ${record.id} already exists`);
    this.byId.set(record.id, record);
    this.heartbeats?.add(record, hashSeed(this.options.seed, "heartbeat", record.id) % this.options.timing.heartbeatMs);
  }

  /** uptime_seconds as the row holds it: what the agent said at its latest heartbeat. */
  uptimeOf(record: WorkspaceRecord): number {
    if (record.onlineSince === null) return record.frozenUptime;
    const now = this.clock.now();
    const beat = this.heartbeats?.lastBeat(record, now) ?? now;
    return beat < record.onlineSince ? 0 : Math.floor((beat - record.onlineSince) / 1000);
  }

  /** The agent stopped (restart, stop, failure): the row keeps the uptime it last reported. */
  agentGone(record: WorkspaceRecord): void {
    if (record.onlineSince !== null) record.frozenUptime = this.uptimeOf(record);
    record.onlineSince = null;
    record.agentInstanceId = null;
    this.timers.cancel(record.bootTimer);
    record.bootTimer = undefined;
  }

  /**
   * UPDATE status (and updated_at), then the platform's event for that status, if it has one
   * (RecordAndBroadcast); `payload` overrides the default payload of statusPayload.
   */
  changeStatus(record: WorkspaceRecord, status: string, payload?: Record<string, unknown>): void {
    const previous = record.status;
    record.status = status;
    record.updatedMicros = this.clock.nowMicros();
    const type = STATUS_EVENT[status];
    if (type) this.recordEvent(type, record.id, payload ?? statusPayload(record, status, previous));
  }

  /**
   * RecordAndBroadcast (events/broadcaster.go): the INSERT (payload stored as jsonb, created_at =
   * now()), then the /ws message, stamped when it is sent, timing.broadcastLagMs later.
   */
  recordEvent(type: string, workspaceId: string | null, payload: Record<string, unknown>): void {
    this.eventLog.append({
      id: this.rng.uuid(),
      eventType: type,
      workspaceId,
      payload: jsonbOrder(payload),
      createdMicros: this.clock.nowMicros(),
    });
    this.feed.broadcast(type, workspaceId ?? "", goMap(payload), this.options.timing.broadcastLagMs);
  }

  /** A historic event (a back-dated seed): stored, never broadcast. */
  recordPastEvent(type: string, workspaceId: string, payload: Record<string, unknown>, atMs: number): void {
    this.eventLog.insert({
      id: this.rng.uuid(),
      eventType: type,
      workspaceId,
      payload: jsonbOrder(payload),
      createdMicros: Math.floor(atMs * 1000),
    });
  }

  /** BroadcastOnly: /ws only, never stored (heartbeats, task updates, chat). */
  broadcastOnly(workspaceId: string, type: string, payload: Record<string, unknown>): void {
    this.feed.broadcast(type, workspaceId, goMap(payload));
  }

  latestEvents(limit: number, workspaceId?: string): SimEvent[] {
    return this.eventLog.latest(limit, workspaceId);
  }

  statusBroken(instanceId: string): boolean {
    return this.brokenStatus.has(instanceId);
  }

  /** RunInstances on the CP: a pending machine with a fresh id. */
  createInstance(workspaceId: string, runtime: string, tier: number, state: InstanceState = "pending"): InstanceRecord {
    let instanceId = instanceIdFrom(this.rng);
    while (this.instanceTable.has(instanceId)) instanceId = instanceIdFrom(this.rng);
    const now = this.clock.now();
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

  /** The machine's serial console as the CP would return it at `at` (default now). */
  consoleOf(instance: InstanceRecord, at = this.clock.now()): string {
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
      now: at,
    });
  }

  mustFind(id: string): WorkspaceRecord {
    const record = this.find(id);
    if (!record) throw new Error(`sim: no workspace ${id}`);
    return record;
  }

  close(): void {
    this.timers.clearAll();
    this.log.flush();
  }

  // --- internals ---

  /** A seeded workspace into the table, its machine into the CP, its first boot under way. */
  private adopt(story: SeedStory, failures: Map<string, BootstrapReport>): void {
    const { record } = story;
    // A tenant without a CP provisioner never learnt an instance id.
    if (!this.options.cp) record.instanceId = null;
    this.insertRecord(record);
    const seeded = story.instance;
    if (!seeded) return;
    const instance = this.instanceTable.insert(seeded.data, seeded.startedMs, seeded.stoppedMs);
    if (record.status === "failed") {
      // What the bootstrap watcher read when it reported the crash.
      const consoleText = this.consoleOf(instance, story.changedAt);
      const lastLine = consoleText.trimEnd().split("\r\n").at(-1) ?? "";
      const report = bootstrapReport(`RUNTIME CRASHED: ${lastLine}`, logTail(consoleText, TAIL_CAP_BYTES));
      record.lastSampleError = report.sampleError;
      failures.set(record.id, report);
    }
    if (record.status === "provisioning") scheduleBoot(this, record, instance, this.options.timing.provisioningMs);
  }

  /**
   * A machine reached terminated. If a workspace's agent ran on it, the agent's heartbeats stop:
   * the liveness monitor marks it offline (WORKSPACE_OFFLINE {}) and, with autoRestart, the
   * platform's offline handler restarts it. The tenant's database keeps the instance id: it never
   * learns of a Stop it did not make. A machine that dies mid-boot is the boot's to notice.
   */
  private instanceTerminated(instance: InstanceRecord): void {
    const record = this.byId.get(instance.data.workspace_id);
    if (!record || record.agentInstanceId !== instance.data.instance_id) return;
    if (record.status !== "online" && record.status !== "degraded") return;
    this.agentGone(record);
    this.changeStatus(record, "offline");
    if (this.options.autoRestart) autoRestart(this, record);
  }
}
