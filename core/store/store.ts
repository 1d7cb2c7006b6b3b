import type { CpLedger, StartedRecord, StopFailedRecord, StoppedRecord } from "../cp/cp-ledger";
import { OpsError } from "../errors";
import { formatGoJson } from "../provlog";
import { InstanceBindings } from "./instance-bindings";
import { type Db, describeSqliteError, openOrRecover, type Recovery } from "./open-store";
import { RestartRows } from "./restart-rows";
import { TenantEventRows } from "./tenant-event-rows";
import { TimelineEvents } from "./timeline-events";
import { type TimelineFilter, type TimelineRow, timelineRows } from "./timeline-query";
import { WorkspaceHealthRows } from "./workspace-health";
import { WorkspaceRows } from "./workspace-rows";

/** The local cache: one file, one writer, readable offline. */
export class Store implements CpLedger {
  readonly bindings: InstanceBindings;
  readonly events: TimelineEvents;
  readonly tenantEvents: TenantEventRows;
  readonly workspaces: WorkspaceRows;
  readonly health: WorkspaceHealthRows;
  readonly restarts: RestartRows;

  private constructor(
    readonly db: Db,
    readonly path: string,
    /** Set when the file was damaged and a fresh cache replaced it (the old one kept aside). */
    readonly recovered: Recovery | null = null,
  ) {
    this.bindings = new InstanceBindings(db);
    this.events = new TimelineEvents(db);
    this.tenantEvents = new TenantEventRows(db, this.events);
    this.workspaces = new WorkspaceRows(db);
    this.health = new WorkspaceHealthRows(db);
    this.restarts = new RestartRows(db);
  }

  static open(path: string): Store {
    const { db, recovered } = openOrRecover(path);
    return new Store(db, path, recovered);
  }

  resolveInstanceId(workspaceId: string): string | null {
    return this.guard("read the instance mapping", () => this.bindings.resolveInstanceId(workspaceId));
  }

  /** The mapping and the `provision.ec2_started` record land together or not at all. */
  recordStarted(r: StartedRecord): void {
    const fields = {
      workspace_id: r.workspaceId,
      instance_id: r.instanceId,
      state: r.state,
      tier: r.tier,
      runtime: r.runtime,
      ...(r.malformed ? { malformed_instance_id: true } : {}),
    };
    this.guard("record the start", () =>
      this.db.transaction(() => {
        this.bindings.bind(r.workspaceId, r.instanceId, "start", r.state, r.at.getTime());
        this.events.record({
          ts: r.at.getTime(),
          event: "provision.ec2_started",
          workspaceId: r.workspaceId,
          instanceId: r.instanceId,
          fieldsJson: formatGoJson(fields),
          source: "console",
        });
      })(),
    );
  }

  /**
   * One of the console's own actions (a restart step, a detected crash) written to the timeline
   * in provlog format with source "console", so staff can export what they did next to what the
   * servers logged (docs/contracts.md §4).
   */
  recordConsoleEvent(event: string, fields: Record<string, unknown>, at: Date): void {
    this.guard("write the timeline", () =>
      this.events.record({
        ts: at.getTime(),
        event,
        workspaceId: typeof fields.workspace_id === "string" ? fields.workspace_id : null,
        instanceId: typeof fields.instance_id === "string" ? fields.instance_id : null,
        fieldsJson: formatGoJson(fields),
        source: "console",
      }),
    );
  }

  /** A console snapshot, kept so the last known output can be read offline with its fetch time. */
  recordConsoleSnapshot(workspaceId: string, instanceId: string | null, output: string, fetchedAt: number): void {
    this.guard("save the console snapshot", () =>
      this.db
        .prepare("INSERT INTO console_snapshots (workspace_id, instance_id, fetched_at, output) VALUES (?, ?, ?, ?)")
        .run(workspaceId, instanceId, fetchedAt, output),
    );
  }

  latestConsoleSnapshot(workspaceId: string): { instanceId: string | null; fetchedAt: number; output: string } | null {
    return this.guard("read the console snapshot", () => {
      const row = this.db
        .prepare(
          `SELECT instance_id, fetched_at, output FROM console_snapshots
           WHERE workspace_id = ? ORDER BY fetched_at DESC, id DESC LIMIT 1`,
        )
        .get(workspaceId) as { instance_id: string | null; fetched_at: number; output: string } | undefined;
      return row ? { instanceId: row.instance_id, fetchedAt: row.fetched_at, output: row.output } : null;
    });
  }

  recordStopped(r: StoppedRecord): void {
    const fields = { workspace_id: r.workspaceId, instance_id: r.instanceId };
    this.guard("record the stop", () =>
      this.db.transaction(() => {
        this.bindings.unbind(r.workspaceId, r.instanceId, r.at.getTime());
        this.events.record({
          ts: r.at.getTime(),
          event: "provision.ec2_stopped",
          workspaceId: r.workspaceId,
          instanceId: r.instanceId,
          fieldsJson: formatGoJson(fields),
          source: "console",
        });
      })(),
    );
  }

  /** A Stop that did not happen: the instance may still run, and the doctor must be able to find it. */
  recordStopFailed(r: StopFailedRecord): void {
    this.recordConsoleEvent(
      "provision.ec2_stop_failed",
      { workspace_id: r.workspaceId, instance_id: r.instanceId, status: r.status, error: r.error },
      r.at,
    );
  }

  /** The timeline, oldest first, read lazily in pages. */
  timeline(filter: TimelineFilter = {}): Generator<TimelineRow> {
    return timelineRows(this.db, filter);
  }

  /** Runtime and tier of a workspace as last synced from its tenant, when the cache has it. */
  workspaceProfile(workspaceId: string): { runtime: string | null; tier: number | null } | null {
    return this.guard("read the workspace", () => {
      const row = this.db.prepare("SELECT runtime, tier FROM workspaces WHERE id = ?").get(workspaceId) as
        | { runtime: string | null; tier: number | null }
        | undefined;
      return row ?? null;
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private guard<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof OpsError) throw cause;
      throw new OpsError("Store", `cannot ${what} in ${this.path}: ${describeSqliteError(cause)}`, { cause });
    }
  }
}
