import type { ConnectionChange, LiveChange, StatusChange } from "../api/views";
import type { CpClient } from "../cp/cp-client";
import { OpsError } from "../errors";
import type { Store } from "../store/store";
import type { CheckOutcome } from "../store/workspace-health";
import { bindingIsCurrent, type Heartbeat, type WorkspaceRow } from "../store/workspace-rows";
import type { TenantClient } from "../tenant/tenant-client";
import { AT_REST, STATUS_OF_EVENT } from "../tenant/vocabulary";
import { detectBootstrapFailure } from "./bootstrap-failure";
import { forEachBounded } from "./bounded";
import { ChangeFeed } from "./change-feed";
import { consoleReader } from "./console-reader";
import { crashIsCurrent, type ShownStatus, sameShownStatus, shownStatus } from "./shown-status";
import { checkOutcome, DEFAULT_SWEEP_CONCURRENCY, type SweepReport, sweepStatus } from "./status-sweep";
import { syncTenant } from "./sync";
import { recordPushedEvent } from "./tenant-event-record";
import { type PushedEvent, TenantFeed, type TenantFeedOptions } from "./tenant-feed";

/** The API's own view types (core/api/views.ts), which these values are. */
export type { ConnectionChange, LiveChange, StatusChange };

export interface LiveStatusOptions {
  store: Store;
  tenant: TenantClient;
  /** null: no CP configured; status checks and CP consoles are skipped, the tenant's word stands. */
  cp: CpClient | null;
  /** The /ws feed; null runs on periodic relists only. */
  feed: Pick<TenantFeedOptions, "baseUrl" | "headers" | "baseDelayMs" | "maxDelayMs" | "stableMs"> | null;
  /** Status checks in flight at once (default 16). */
  concurrency?: number;
  /** Relist period, the fallback when pushed events are missed (default 60 s). */
  resyncMs?: number;
  /** Status sweep period (default 30 s). */
  sweepMs?: number;
  /** How often pushed heartbeats are written to the store, together (default 1 s). */
  heartbeatFlushMs?: number;
  now?: () => number;
}

/**
 * Live status for one tenant: pushed events from /ws, a periodic relist as the fallback, and
 * CP status sweeps with bounded concurrency. Everything it learns goes into the store first and
 * then out to subscribers as changes of the shown status (see shownStatus for the rules). It
 * never acts on what it sees: a failing check makes a workspace "uncertain", nothing more.
 */
export class LiveStatus {
  private readonly feed = new ChangeFeed<LiveChange>();
  private readonly shown = new Map<string, ShownStatus>();
  private readonly store: Store;
  private readonly now: () => number;
  private tenantFeed: TenantFeed | null = null;
  private timers: NodeJS.Timeout[] = [];
  private sweeping: Promise<SweepReport | null> | null = null;
  private resyncing: Promise<void> | null = null;
  private resyncAgain = false;
  /** The latest heartbeat of each workspace since the last flush. */
  private beats = new Map<string, Heartbeat>();
  private connection: ConnectionChange = {
    kind: "connection",
    tenant: "ok",
    feed: "closed",
    last_sync_at: null,
    error: null,
  };
  private readonly stopping = new AbortController();

  constructor(private readonly options: LiveStatusOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
  }

  /** Changes from now on; a new subscriber reads the current rows from the store first. */
  subscribe(signal?: AbortSignal): AsyncIterableIterator<LiveChange> {
    return this.feed.subscribe(signal);
  }

  get connectionState(): ConnectionChange {
    return { ...this.connection };
  }

  /** Relists, opens the feed, sweeps, and keeps doing so on timers until stop(). */
  async start(): Promise<void> {
    for (const row of this.store.workspaces.list()) this.shown.set(row.id, shownStatus(row));
    await this.resync();
    // stop() may come while the first relist runs (Ctrl-C): then nothing more is started.
    if (this.stopping.signal.aborted) return;
    if (this.options.feed) {
      this.tenantFeed = new TenantFeed({
        ...this.options.feed,
        redactor: this.options.tenant.redactor,
        onEvent: (e) => this.onPushed(e),
        // Events pushed while the feed was down are lost: relist on every reopen.
        onOpen: () => void this.resync(),
        onState: (state) => {
          this.setConnection({ feed: state });
          // A dropped feed may mean the tenant is gone: relist now, so "unreachable" shows within
          // a retry instead of at the next periodic relist.
          if (state === "waiting") void this.resync();
        },
      });
      this.tenantFeed.start();
    }
    await this.sweep();
    if (this.stopping.signal.aborted) return;
    this.every(this.options.resyncMs ?? 60_000, () => this.resync());
    this.every(this.options.sweepMs ?? 30_000, () => this.sweep());
    this.every(this.options.heartbeatFlushMs ?? 1000, async () => this.flushHeartbeats());
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.tenantFeed?.stop();
    await Promise.allSettled([this.sweeping, this.resyncing]);
    this.flushHeartbeats();
    this.feed.close();
  }

  /** Pulls the tenant's list now; concurrent calls share one relist (and ask for one more after it). */
  resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    this.resyncing = (async () => {
      do {
        this.resyncAgain = false;
        try {
          const report = await syncTenant(this.store, this.options.tenant, {
            signal: this.stopping.signal,
            now: () => new Date(this.now()),
          });
          this.setConnection({ tenant: "ok", last_sync_at: report.as_of, error: null });
        } catch (error) {
          if (this.stopping.signal.aborted) return;
          this.setConnection({ tenant: "unreachable", error: safeMessage(error) });
        }
        this.publishAll();
      } while (this.resyncAgain && !this.stopping.signal.aborted);
    })().finally(() => {
      this.resyncing = null;
    });
    return this.resyncing;
  }

  /**
   * One CP status sweep over the workspaces whose instance on file is current and that are not at
   * rest, then a look at the serial console of every workspace provisioning, for a boot that
   * already crashed. A sweep already running is joined, never doubled.
   */
  sweep(): Promise<SweepReport | null> {
    if (this.sweeping) return this.sweeping;
    this.sweeping = this.runSweep().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async runSweep(): Promise<SweepReport | null> {
    const rows = this.store.workspaces.list();
    const cp = this.options.cp;
    if (!cp) {
      // No CP of our own: the tenant reads consoles through its CP, by workspace id.
      await this.checkBoots(rows.filter((r) => r.status === "provisioning"));
      this.publishAll();
      return null;
    }
    // Only an instance the tenant cannot have replaced since is worth asking about (see bindingIsCurrent).
    const checked = rows.filter((r) => bindingIsCurrent(r) && !AT_REST.has(r.status ?? ""));
    const outcomes: CheckOutcome[] = [];
    const report = await sweepStatus(
      cp,
      // The list query picks the open binding exactly as CpClient would, so no lookup per request.
      checked.map((r) => ({ workspaceId: r.id, instanceId: r.instanceId })),
      {
        concurrency: this.options.concurrency ?? DEFAULT_SWEEP_CONCURRENCY,
        signal: this.stopping.signal,
        onResult: (r) => {
          if (r.instanceId === null && !r.error) return;
          outcomes.push(checkOutcome(r));
        },
      },
    );
    if (this.stopping.signal.aborted) return report;
    this.store.health.recordChecks(outcomes, this.now());
    // The console is keyed by workspace id (docs/contracts.md §3): every provisioning workspace is looked at,
    // whether or not its instance is known.
    await this.checkBoots(rows.filter((r) => r.status === "provisioning"));
    this.publishAll();
    return report;
  }

  /** A provisioning workspace whose console already says RUNTIME CRASHED is failed (docs/contracts.md §5). */
  private async checkBoots(rows: readonly WorkspaceRow[]): Promise<void> {
    const unseen = rows.filter((r) => !crashIsCurrent(r));
    await forEachBounded(
      unseen,
      this.options.concurrency ?? DEFAULT_SWEEP_CONCURRENCY,
      async (row) => {
        let output: string;
        try {
          output = await this.readConsole(row.id);
        } catch {
          return; // an unreadable console is no evidence of anything
        }
        const failure = detectBootstrapFailure(output);
        if (!failure) return;
        const at = this.now();
        this.store.health.recordCrash({ workspaceId: row.id, instanceId: row.instanceId, ...failure, at });
        this.store.recordConsoleEvent(
          "bootstrap.failure_detected",
          { workspace_id: row.id, instance_id: row.instanceId, error: failure.error },
          new Date(at),
        );
      },
      this.stopping.signal,
    );
  }

  private readConsole(workspaceId: string): Promise<string> {
    return consoleReader(this.options.cp, this.options.tenant)(workspaceId, { signal: this.stopping.signal });
  }

  /**
   * One message of the /ws feed. A heartbeat refreshes liveness (batched, never a timeline event).
   * A status event is stored once (the list's copy pairs with it) and moves the status. Anything
   * else is dropped unread: the broadcast-only chat and task messages (TASK_UPDATED,
   * ACTIVITY_LOGGED, AGENT_MESSAGE, A2A_RESPONSE: events/broadcaster.go BroadcastOnly) carry what
   * people told their agents, and other recorded events come with the next relist's GET /events,
   * the only answer that says which messages the tenant recorded (an unknown pushed type may be chat).
   */
  private onPushed(e: PushedEvent): void {
    if (e.event === "WORKSPACE_HEARTBEAT") {
      this.noteHeartbeat(e);
      return;
    }
    const status = STATUS_OF_EVENT[e.event];
    if (!status) return;
    try {
      recordPushedEvent(this.store, e);
      if (e.workspaceId === null) return;
      if (!this.store.workspaces.get(e.workspaceId)) {
        // A workspace this cache has not seen yet: the list has its other fields.
        void this.resync();
        return;
      }
      this.store.workspaces.setStatusFromEvent(e.workspaceId, status, e.at ?? this.now());
      this.publishOne(e.workspaceId);
    } catch (error) {
      this.setConnection({ error: safeMessage(error) });
    }
  }

  private noteHeartbeat(e: PushedEvent): void {
    if (e.workspaceId === null) return;
    const count = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : null);
    const at = e.at ?? this.now();
    const before = this.beats.get(e.workspaceId);
    if (before && before.at >= at) return;
    this.beats.set(e.workspaceId, {
      workspaceId: e.workspaceId,
      at,
      activeTasks: count(e.payload.active_tasks),
      uptimeSeconds: count(e.payload.uptime_seconds),
    });
  }

  /** Heartbeats since the last flush, in one transaction: a tenant of 10,000 agents sends 333 a second. */
  private flushHeartbeats(): void {
    if (this.beats.size === 0) return;
    const beats = [...this.beats.values()];
    this.beats = new Map();
    try {
      this.store.workspaces.recordHeartbeats(beats);
    } catch (error) {
      this.setConnection({ error: safeMessage(error) });
    }
  }

  private publishAll(): void {
    for (const row of this.store.workspaces.list()) this.publishRow(row);
  }

  private publishOne(id: string): void {
    const row = this.store.workspaces.get(id);
    if (row) this.publishRow(row);
  }

  private publishRow(row: WorkspaceRow): void {
    const next = shownStatus(row);
    const before = this.shown.get(row.id);
    if (before && sameShownStatus(before, next)) return;
    this.shown.set(row.id, next);
    this.feed.publish({
      kind: "status",
      workspace_id: row.id,
      name: row.name,
      status: next.status,
      previous: before?.status ?? null,
      source: next.source,
      as_of: new Date(next.asOf).toISOString(),
      since: next.since === null ? null : new Date(next.since).toISOString(),
      detail: next.detail,
    });
  }

  private setConnection(patch: Partial<Omit<ConnectionChange, "kind">>): void {
    const next = { ...this.connection, ...patch };
    const same =
      next.tenant === this.connection.tenant &&
      next.feed === this.connection.feed &&
      next.last_sync_at === this.connection.last_sync_at &&
      next.error === this.connection.error;
    this.connection = next;
    if (!same) this.feed.publish({ ...next });
  }

  private every(ms: number, run: () => Promise<unknown>): void {
    const timer = setInterval(() => void run().catch(() => {}), ms);
    timer.unref?.();
    this.timers.push(timer);
  }
}

function safeMessage(error: unknown): string {
  return error instanceof OpsError ? error.message : "internal error";
}
