import type { Db } from "./open-store";
import { LIST_ORDER, type WorkspaceHealth, type WorkspaceRow } from "./workspace-rows";

/** A cached workspace as the list shows it: every field but `extra`, which the list never shows. */
export type ListedRow = Omit<WorkspaceRow, "extra">;

/** What changed since the previous call: everything, or these workspaces (maybe none). */
export type ListChanges = { all: true } | { all: false; ids: string[] };

/** What a row falls back to when the fast read cannot hold a value (see `all`). */
export interface ListFallback {
  list(): ListedRow[];
  get(id: string): ListedRow | null;
}

/**
 * Every write on this connection that can change a listed row marks the workspace here: a TEMP
 * table and TEMP triggers, so they exist only on this connection, need no migration and cost a
 * writer nothing until something lists. Triggers rather than calls in each writer: a sync, a
 * pushed event, a heartbeat flush, a sweep, a crash, an import's bindings, a Start or Stop, and
 * any writer added later all go through these three tables. Closed bindings (closed before and
 * after the write) never decide the instance on file and are not marked: an import writes
 * hundreds of thousands of them. Writes by other connections (another process, a worker) are
 * seen through PRAGMA data_version, and schema changes (an import drops and rebuilds indexes)
 * through schema_version; either makes the next call answer "all".
 */
const CHANGED = "workspace_list_changed";

/**
 * Marks a workspace id. Never a conflict, so never an error in the writer's statement: an
 * upsert's update runs its triggers under ABORT, which overrides an INSERT OR IGNORE here.
 */
const mark = (id: string) =>
  `INSERT INTO ${CHANGED} SELECT ${id} WHERE ${id} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${CHANGED} WHERE workspace_id = ${id});`;

const trigger = (name: string, event: string, table: string, when: string | null, ...ids: string[]) =>
  `CREATE TEMP TRIGGER IF NOT EXISTS ${CHANGED}_${name} AFTER ${event} ON main.${table}
   ${when ? `WHEN ${when}` : ""} BEGIN ${ids.map(mark).join(" ")} END;`;

const TRACKING = [
  `CREATE TEMP TABLE IF NOT EXISTS ${CHANGED} (workspace_id TEXT PRIMARY KEY) WITHOUT ROWID;`,
  trigger("ws_insert", "INSERT", "workspaces", null, "new.id"),
  trigger("ws_update", "UPDATE", "workspaces", null, "old.id", "new.id"),
  trigger("ws_delete", "DELETE", "workspaces", null, "old.id"),
  trigger("health_insert", "INSERT", "workspace_health", null, "new.workspace_id"),
  trigger("health_update", "UPDATE", "workspace_health", null, "old.workspace_id", "new.workspace_id"),
  trigger("health_delete", "DELETE", "workspace_health", null, "old.workspace_id"),
  trigger("binding_insert", "INSERT", "instance_bindings", "new.unbound_at IS NULL", "new.workspace_id"),
  trigger(
    "binding_update",
    "UPDATE",
    "instance_bindings",
    "old.unbound_at IS NULL OR new.unbound_at IS NULL",
    "old.workspace_id",
    "new.workspace_id",
  ),
  trigger("binding_delete", "DELETE", "instance_bindings", "old.unbound_at IS NULL", "old.workspace_id"),
].join("\n");

/**
 * One JSON array a row: at 10,000 rows, better-sqlite3 making a JS value of each of 25 columns
 * was most of the list's time, one string and JSON.parse cost about half. The health columns
 * are one nested array, null when the workspace has no health row.
 */
const ROW_JSON = `json_array(w.id, w.name, w.status, w.runtime, w.tier, w.parent_id, w.provisioning_at,
    w.last_heartbeat_at, w.as_of, w.last_seen_at, w.status_source, w.status_at,
    CASE WHEN h.workspace_id IS NULL THEN NULL ELSE json_array(h.cp_instance_id, h.cp_state, h.cp_checked_at,
      h.uncertain_since, h.uncertain_at, h.uncertain_error, h.crash_instance_id, h.crash_error, h.crash_tail,
      h.crash_at, h.crash_reported_at) END)`;
const FROM = "FROM workspaces w LEFT JOIN workspace_health h ON h.workspace_id = w.id";

/**
 * The open bindings, read in one pass and joined here: one scan of the open-bindings index
 * instead of two correlated subqueries a row. Named, as in WorkspaceRows, so SQLite never walks
 * the history index instead.
 */
const OPEN_BINDINGS =
  "SELECT workspace_id, instance_id, bound_at, id FROM instance_bindings INDEXED BY instance_bindings_open WHERE unbound_at IS NULL";

/**
 * The workspace list's rows, read fast, and which of them changed since the last read. Used by
 * the list view of core/api (its cache); the filtered list and every other reader keep
 * WorkspaceRows.list.
 */
export class WorkspaceListSource {
  private readonly dataVersion;
  private readonly schemaVersion;
  private readonly countChanged;
  private readonly changedIds;
  private readonly clearChanged;
  private readonly allRows;
  private readonly someRows;
  private readonly allOpen;
  private readonly someOpen;
  private seen: { data: number; schema: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly fallback: ListFallback,
  ) {
    db.exec(TRACKING);
    this.dataVersion = db.prepare("PRAGMA data_version").pluck();
    this.schemaVersion = db.prepare("PRAGMA schema_version").pluck();
    this.countChanged = db.prepare(`SELECT count(*) FROM temp.${CHANGED}`).pluck();
    this.changedIds = db.prepare(`SELECT workspace_id FROM temp.${CHANGED}`).pluck();
    this.clearChanged = db.prepare(`DELETE FROM temp.${CHANGED}`);
    this.allRows = db.prepare(`SELECT ${ROW_JSON} ${FROM} ${LIST_ORDER}`).pluck();
    this.someRows = db.prepare(`SELECT ${ROW_JSON} ${FROM} WHERE w.id IN (SELECT value FROM json_each(?))`).pluck();
    this.allOpen = db.prepare(OPEN_BINDINGS).raw();
    this.someOpen = db.prepare(`${OPEN_BINDINGS} AND workspace_id IN (SELECT value FROM json_each(?))`).raw();
  }

  /**
   * What changed since the previous call; the first call answers "all", and so does a call that
   * would name more than `most` workspaces. Read before the rows: a write that lands between the
   * two shows in the next call's answer.
   */
  changes(most: number): ListChanges {
    const data = this.dataVersion.get() as number;
    const schema = this.schemaVersion.get() as number;
    const count = this.countChanged.get() as number;
    const ids = count > 0 && count <= most ? (this.changedIds.all() as string[]) : [];
    if (count > 0) this.clearChanged.run();
    const seen = this.seen;
    this.seen = { data, schema };
    if (seen === null || seen.data !== data || seen.schema !== schema) {
      // A schema change may have dropped a table and its triggers with it: put them back.
      if (seen !== null && seen.schema !== schema) this.db.exec(TRACKING);
      return { all: true };
    }
    return count > most ? { all: true } : { all: false, ids };
  }

  /** Every row, in the list's order (WorkspaceRows.list's). */
  all(): ListedRow[] {
    let texts: string[];
    try {
      texts = this.allRows.all() as string[];
    } catch {
      // A value JSON cannot hold (a BLOB some other writer left): the plain read never breaks the list.
      return this.fallback.list();
    }
    const open = openBindings(this.allOpen.all() as unknown[][]);
    return texts.map((text) => listedRow(text, open));
  }

  /** These rows, in no particular order; an id without a row is not in the answer. */
  some(ids: readonly string[]): ListedRow[] {
    const json = JSON.stringify(ids);
    let texts: string[];
    try {
      texts = this.someRows.all(json) as string[];
    } catch {
      return ids.map((id) => this.fallback.get(id)).filter((r) => r !== null);
    }
    const open = openBindings(this.someOpen.all(json) as unknown[][]);
    return texts.map((text) => listedRow(text, open));
  }
}

interface OpenBinding {
  instanceId: string;
  boundAt: number;
  rowId: number;
}

/** Each workspace's open binding, picked as InstanceBindings.resolveInstanceId picks it: latest bound_at, then id. */
function openBindings(rows: readonly unknown[][]): Map<string, OpenBinding> {
  const open = new Map<string, OpenBinding>();
  for (const r of rows as [string, string, number, number][]) {
    const workspaceId = r[0];
    const instanceId = r[1];
    const boundAt = r[2];
    const rowId = r[3];
    const known = open.get(workspaceId);
    if (!known || boundAt > known.boundAt || (boundAt === known.boundAt && rowId > known.rowId)) {
      open.set(workspaceId, { instanceId, boundAt, rowId });
    }
  }
  return open;
}

type Health = [
  string | null,
  string | null,
  number | null,
  number | null,
  number | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
  number | null,
];

/** By index, not by destructuring: an array pattern walks the iterator protocol, 10,000 times. */
function listedRow(text: string, open: ReadonlyMap<string, OpenBinding>): ListedRow {
  const v = JSON.parse(text) as ListedValues;
  const id = v[0];
  const binding = open.get(id);
  const health = v[12];
  return {
    id,
    name: v[1],
    status: v[2],
    runtime: v[3],
    tier: v[4],
    parentId: v[5],
    instanceId: binding === undefined ? null : binding.instanceId,
    boundAt: binding === undefined ? null : binding.boundAt,
    provisioningAt: v[6],
    lastHeartbeatAt: v[7],
    asOf: v[8],
    lastSeenAt: v[9],
    statusSource: v[10],
    statusAt: v[11] ?? v[8],
    health: health === null ? null : healthOf(health),
  };
}

/** ROW_JSON's values, in its order. */
type ListedValues = [
  string,
  string | null,
  string | null,
  string | null,
  number | null,
  string | null,
  number | null,
  number | null,
  number,
  number | null,
  "sync" | "event",
  number | null,
  Health | null,
];

function healthOf(h: Health): WorkspaceHealth {
  return {
    cpInstanceId: h[0],
    cpState: h[1],
    cpCheckedAt: h[2],
    uncertainSince: h[3],
    uncertainAt: h[4],
    uncertainError: h[5],
    crashInstanceId: h[6],
    crashError: h[7],
    crashTail: h[8],
    crashAt: h[9],
    crashReportedAt: h[10],
  };
}
