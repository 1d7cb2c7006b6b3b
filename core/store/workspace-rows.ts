import type { TenantWorkspace } from "../tenant/tenant-records";
import type { Db } from "./open-store";

/**
 * A cached workspace as the list and the UI read it: the tenant's known fields (id, name, status
 * as the tenant said it, runtime, tier, parentId), then what the cache knows besides.
 */
export interface WorkspaceRow extends Omit<TenantWorkspace, "fields"> {
  /** The open binding of instance_bindings: the instance Stop and IsRunning act on. */
  instanceId: string | null;
  /** ms: when that binding began (its ec2_started, or the console's Start). */
  boundAt: number | null;
  /** ms: the tenant's latest WORKSPACE_PROVISIONING for it; null when none was seen. */
  provisioningAt: number | null;
  /** ms: the latest WORKSPACE_HEARTBEAT the /ws feed pushed for it (liveness). */
  lastHeartbeatAt: number | null;
  /** ms since epoch: when this data was true (the sync that last listed it). */
  asOf: number;
  /** ms: the last sync that listed it; null when never listed by a sync. */
  lastSeenAt: number | null;
  /** Every other field the tenant sent, verbatim (its own instance_id included). */
  extra: Record<string, unknown>;
  /** Who said `status` last: a sync's list or a pushed tenant event. */
  statusSource: "sync" | "event";
  /** ms: when the tenant's status was said (the sync's time, or the event's). */
  statusAt: number;
  /** What the console saw beyond the tenant's word; null when nothing was checked yet. */
  health: WorkspaceHealth | null;
}

/** The workspace_health row (see the migration): the CP's last answer, doubt, a boot crash. */
export interface WorkspaceHealth {
  cpInstanceId: string | null;
  cpState: string | null;
  cpCheckedAt: number | null;
  uncertainSince: number | null;
  uncertainAt: number | null;
  uncertainError: string | null;
  crashInstanceId: string | null;
  crashError: string | null;
  crashTail: string | null;
  crashAt: number | null;
  crashReportedAt: number | null;
}

/** One WORKSPACE_HEARTBEAT {active_tasks, uptime_seconds} (handlers/registry.go), already checked. */
export interface Heartbeat {
  workspaceId: string;
  at: number;
  activeTasks: number | null;
  uptimeSeconds: number | null;
}

/**
 * Whether the instance on file is the workspace's current one as far as the console knows: bound
 * no earlier than the tenant's latest (re)provisioning. The tenant restarts workspaces on its own
 * (a person in the canvas, its auto-restart) and never says which instance it booted, so a
 * binding older than that may name a terminated machine; a CP answer about it says nothing of the
 * workspace.
 */
export function bindingIsCurrent(row: Pick<WorkspaceRow, "instanceId" | "boundAt" | "provisioningAt">): boolean {
  if (row.instanceId === null) return false;
  return row.provisioningAt === null || (row.boundAt ?? 0) >= row.provisioningAt - BINDING_STAMP_SLACK_MS;
}

/**
 * A binding learnt from the server log carries Go's standard-logger stamp, whole seconds, while the
 * provisioning event's created_at has microseconds from the database's clock: the ec2_started of
 * the boot that event began can read up to a second (plus clock drift) earlier than the event.
 */
const BINDING_STAMP_SLACK_MS = 2000;

export interface WorkspaceFilter {
  status?: string;
  runtime?: string;
  tier?: number;
  /** Substring of the name, the id or the bound instance id; case-insensitive for ASCII (SQLite lower()). */
  text?: string;
}

export interface UpsertCounts {
  added: number;
  /** Already cached, and some stored field differs from the new answer. */
  updated: number;
  unchanged: number;
}

/** The columns a sync writes. */
interface Columns {
  id: string;
  name: string | null;
  status: string | null;
  runtime: string | null;
  tier: number | null;
  parent_id: string | null;
  extra: string;
}

/** A row as the list reads it: the written columns, the open binding and the times. */
interface StoredRow extends Columns {
  instance_id: string | null;
  bound_at: number | null;
  provisioning_at: number | null;
  last_heartbeat_at: number | null;
  as_of: number;
  last_seen_at: number | null;
  status_source: "sync" | "event";
  status_at: number | null;
  has_health: number;
  cp_instance_id: string | null;
  cp_state: string | null;
  cp_checked_at: number | null;
  uncertain_since: number | null;
  uncertain_at: number | null;
  uncertain_error: string | null;
  crash_instance_id: string | null;
  crash_error: string | null;
  crash_tail: string | null;
  crash_at: number | null;
  crash_reported_at: number | null;
}

/** The tenant fields that have a column; the rest of the object goes to `extra`. */
const COLUMN_FIELDS = ["id", "name", "status", "runtime", "tier", "parent_id"] as const;

/**
 * The open binding is picked the way InstanceBindings.resolveInstanceId picks it, so the list
 * shows exactly the instance a Stop would act on, one row per workspace, in one query served by
 * the instance_bindings_open index (no query per row at 10,000 rows). The index is named: left to
 * itself SQLite picks the history index and walks every past binding of each workspace (a
 * 3M-line import learns a hundred a workspace; the list took 0.9 s). A scalar subquery, not a
 * join on it: the join form cost 0.1 s more at 10,000 rows.
 */
const SELECT = `
  SELECT w.id, w.name, w.status, w.runtime, w.tier, w.parent_id,
    (SELECT o.instance_id FROM instance_bindings o INDEXED BY instance_bindings_open
     WHERE o.workspace_id = w.id AND o.unbound_at IS NULL
     ORDER BY o.bound_at DESC, o.id DESC LIMIT 1) AS instance_id,
    (SELECT o.bound_at FROM instance_bindings o INDEXED BY instance_bindings_open
     WHERE o.workspace_id = w.id AND o.unbound_at IS NULL
     ORDER BY o.bound_at DESC, o.id DESC LIMIT 1) AS bound_at,
    w.provisioning_at, w.last_heartbeat_at, w.as_of, w.last_seen_at, w.extra,
    w.status_source, w.status_at, h.workspace_id IS NOT NULL AS has_health, h.cp_instance_id, h.cp_state,
    h.cp_checked_at, h.uncertain_since, h.uncertain_at, h.uncertain_error, h.crash_instance_id, h.crash_error,
    h.crash_tail, h.crash_at, h.crash_reported_at
  FROM workspaces w
  LEFT JOIN workspace_health h ON h.workspace_id = w.id`;

/**
 * The list's order: names as people read them (case-insensitive), unnamed rows last, the id
 * breaking ties. Shared with WorkspaceListSource, whose rows must come in the same order.
 */
export const LIST_ORDER = "ORDER BY w.name IS NULL, w.name COLLATE NOCASE, w.name, w.id";

/** The `workspaces` table: the tenant's workspaces as last synced, readable offline. */
export class WorkspaceRows {
  private readonly selectAll;
  private readonly selectAllRaw;
  private readonly selectOneRaw;
  private readonly provisioningSeen;
  private readonly heartbeat;
  private readonly heartbeatMany;
  private readonly countAll;
  private readonly columnsOf;
  private readonly upsert;
  private readonly upsertAll;
  private readonly statusFromEvent;

  constructor(db: Db) {
    // One statement for every filter: a NULL parameter switches its condition off. Names sort
    // as people read them (case-insensitive), unnamed rows last, the id breaking ties.
    this.selectAll = db.prepare<Record<string, unknown>, StoredRow>(
      `${SELECT}
       WHERE (@status IS NULL OR w.status = @status)
         AND (@runtime IS NULL OR w.runtime = @runtime)
         AND (@tier IS NULL OR w.tier = @tier)
         AND (@text IS NULL
              OR instr(lower(coalesce(w.name, '')), @text) > 0
              OR instr(lower(w.id), @text) > 0
              OR instr(lower(coalesce(instance_id, '')), @text) > 0)
       ${LIST_ORDER}`,
    );
    this.selectAllRaw = db.prepare(this.selectAll.source).raw();
    const names = this.selectAllRaw.columns().map((c) => c.name);
    if (names.join() !== STORED_COLUMNS.join()) throw new Error(`workspace list columns changed: ${names.join()}`);
    this.selectOneRaw = db.prepare(`${SELECT} WHERE w.id = ?`).raw();
    this.countAll = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM workspaces");
    this.columnsOf = db.prepare<[string], Omit<Columns, "id">>(
      "SELECT name, status, runtime, tier, parent_id, extra FROM workspaces WHERE id = ?",
    );
    // The list is true as of when it was asked for (@at): a status that a pushed event set for a
    // later time (while the list was on its way) is newer than the list and is kept, as
    // setStatusFromEvent keeps a newer sync's from an older event. SET sees the row as it was.
    this.upsert = db.prepare<Columns & { at: number }>(
      `INSERT INTO workspaces (id, name, status, runtime, tier, parent_id, extra, as_of, last_seen_at, status_source, status_at)
       VALUES (@id, @name, @status, @runtime, @tier, @parent_id, @extra, @at, @at, 'sync', @at)
       ON CONFLICT (id) DO UPDATE SET
         name = excluded.name, runtime = excluded.runtime, tier = excluded.tier,
         parent_id = excluded.parent_id, extra = excluded.extra, as_of = excluded.as_of,
         last_seen_at = excluded.last_seen_at,
         status = CASE WHEN workspaces.status_at > excluded.status_at THEN workspaces.status ELSE excluded.status END,
         status_source = CASE WHEN workspaces.status_at > excluded.status_at THEN workspaces.status_source ELSE 'sync' END,
         status_at = CASE WHEN workspaces.status_at > excluded.status_at THEN workspaces.status_at ELSE excluded.status_at END`,
    );
    // A pushed event only moves the status forward in time: a late or replayed event never
    // overrides what a newer sync or event said.
    this.statusFromEvent = db.prepare<{ id: string; status: string; at: number }>(
      `UPDATE workspaces SET status = @status, status_source = 'event', status_at = @at
       WHERE id = @id AND (status_at IS NULL OR status_at <= @at) AND status IS NOT @status`,
    );
    this.provisioningSeen = db.prepare<{ id: string; at: number }>(
      "UPDATE workspaces SET provisioning_at = @at WHERE id = @id AND (provisioning_at IS NULL OR provisioning_at < @at)",
    );
    // The heartbeat's own figures are the tenant's newest word on them; a number, or left as listed.
    this.heartbeat = db.prepare<{ id: string; at: number; tasks: number | null; uptime: number | null }>(
      `UPDATE workspaces SET last_heartbeat_at = @at,
         extra = json_set(extra, '$.active_tasks', coalesce(@tasks, json_extract(extra, '$.active_tasks')),
                                 '$.uptime_seconds', coalesce(@uptime, json_extract(extra, '$.uptime_seconds')))
       WHERE id = @id AND (last_heartbeat_at IS NULL OR last_heartbeat_at < @at)`,
    );
    this.heartbeatMany = db.transaction((beats: readonly Heartbeat[]) => {
      for (const b of beats) {
        this.heartbeat.run({ id: b.workspaceId, at: b.at, tasks: b.activeTasks, uptime: b.uptimeSeconds });
      }
    });
    // Nested in a caller's transaction this is a savepoint: the sync's one transaction still holds.
    this.upsertAll = db.transaction((rows: readonly TenantWorkspace[], at: number): UpsertCounts => {
      const counts: UpsertCounts = { added: 0, updated: 0, unchanged: 0 };
      for (const ws of rows) {
        const columns = toColumns(ws);
        const before = this.columnsOf.get(ws.id);
        if (!before) counts.added++;
        else if (sameColumns(before, columns)) counts.unchanged++;
        else counts.updated++;
        this.upsert.run({ ...columns, at });
      }
      return counts;
    });
  }

  /**
   * Writes the listed workspaces, all as of `syncedAt` (ms) and seen by that sync. Rows that are
   * not listed are left as they are: their older last_seen_at is what marks them gone.
   */
  upsertMany(rows: readonly TenantWorkspace[], syncedAt: number): UpsertCounts {
    return this.upsertAll(rows, syncedAt);
  }

  /** A tenant event said the workspace is now `status` at `at` (ms); returns whether the row changed. */
  setStatusFromEvent(id: string, status: string, at: number): boolean {
    return this.statusFromEvent.run({ id, status, at }).changes > 0;
  }

  list(filter: WorkspaceFilter = {}): WorkspaceRow[] {
    // Rows as arrays: at 10,000 workspaces, building a 25-key object per row was most of the time.
    const rows = this.selectAllRaw.all({
      status: filter.status ?? null,
      runtime: filter.runtime ?? null,
      tier: filter.tier ?? null,
      text: filter.text ? filter.text.toLowerCase() : null,
    }) as unknown[][];
    return rows.map(rowFromValues);
  }

  get(id: string): WorkspaceRow | null {
    const row = this.selectOneRaw.get(id) as unknown[] | undefined;
    return row ? rowFromValues(row) : null;
  }

  /** The tenant (re)provisioned the workspace at `at` (ms): kept when it is the latest seen. */
  noteProvisioning(id: string, at: number): void {
    this.provisioningSeen.run({ id, at });
  }

  /** Heartbeats pushed on /ws since the last flush, in one transaction (333 a second at 10,000 agents). */
  recordHeartbeats(beats: readonly Heartbeat[]): void {
    this.heartbeatMany(beats);
  }

  count(): number {
    return this.countAll.get()?.n ?? 0;
  }
}

/**
 * Known fields go to their column when they have the documented type (or are null/absent);
 * anything else, including a known field of another type, stays in `extra` exactly as sent, so
 * nothing the tenant said is lost. Object.fromEntries keeps an own "__proto__" key as data.
 */
function toColumns(ws: TenantWorkspace): Columns {
  const inColumn = new Set<string>(["id"]);
  const take = <T>(field: (typeof COLUMN_FIELDS)[number], typed: T | null): T | null => {
    const raw = ws.fields[field];
    if (typed !== null || raw === null || raw === undefined) inColumn.add(field);
    return typed;
  };
  const columns = {
    id: ws.id,
    name: take("name", ws.name),
    status: take("status", ws.status),
    runtime: take("runtime", ws.runtime),
    tier: take("tier", ws.tier),
    parent_id: take("parent_id", ws.parentId),
  };
  const extra = Object.fromEntries(Object.entries(ws.fields).filter(([key]) => !inColumn.has(key)));
  return { ...columns, extra: JSON.stringify(extra) };
}

function sameColumns(a: Omit<Columns, "id">, b: Columns): boolean {
  return (
    a.name === b.name &&
    a.status === b.status &&
    a.runtime === b.runtime &&
    a.tier === b.tier &&
    a.parent_id === b.parent_id &&
    a.extra === b.extra
  );
}

/** The SELECT's column names, in order (checked against the statement when the class is built). */
const STORED_COLUMNS = [
  "id",
  "name",
  "status",
  "runtime",
  "tier",
  "parent_id",
  "instance_id",
  "bound_at",
  "provisioning_at",
  "last_heartbeat_at",
  "as_of",
  "last_seen_at",
  "extra",
  "status_source",
  "status_at",
  "has_health",
  "cp_instance_id",
  "cp_state",
  "cp_checked_at",
  "uncertain_since",
  "uncertain_at",
  "uncertain_error",
  "crash_instance_id",
  "crash_error",
  "crash_tail",
  "crash_at",
  "crash_reported_at",
] as const;

/** toRow for a raw row: by position, with no intermediate object. */
function rowFromValues(v: unknown[]): WorkspaceRow {
  const at = (name: (typeof STORED_COLUMNS)[number]) => v[COLUMN_INDEX[name]];
  const n = (name: (typeof STORED_COLUMNS)[number]) => at(name) as number | null;
  const t = (name: (typeof STORED_COLUMNS)[number]) => at(name) as string | null;
  return {
    id: v[0] as string,
    name: t("name"),
    status: t("status"),
    runtime: t("runtime"),
    tier: n("tier"),
    parentId: t("parent_id"),
    instanceId: t("instance_id"),
    boundAt: n("bound_at"),
    provisioningAt: n("provisioning_at"),
    lastHeartbeatAt: n("last_heartbeat_at"),
    asOf: at("as_of") as number,
    lastSeenAt: n("last_seen_at"),
    extra: parseExtra(at("extra") as string),
    statusSource: at("status_source") as "sync" | "event",
    statusAt: n("status_at") ?? (at("as_of") as number),
    health: at("has_health")
      ? {
          cpInstanceId: t("cp_instance_id"),
          cpState: t("cp_state"),
          cpCheckedAt: n("cp_checked_at"),
          uncertainSince: n("uncertain_since"),
          uncertainAt: n("uncertain_at"),
          uncertainError: t("uncertain_error"),
          crashInstanceId: t("crash_instance_id"),
          crashError: t("crash_error"),
          crashTail: t("crash_tail"),
          crashAt: n("crash_at"),
          crashReportedAt: n("crash_reported_at"),
        }
      : null,
  };
}

const COLUMN_INDEX = Object.fromEntries(STORED_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof STORED_COLUMNS)[number],
  number
>;

/** A row written by something else than this class could hold anything; it never breaks the list. */
function parseExtra(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
