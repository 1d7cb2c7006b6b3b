import type { Db } from "./open-store";
import { type EventSource, NO_STAMP } from "./timeline-events";

export interface TimelineFilter {
  workspaceId?: string;
  /** ms since epoch, inclusive. */
  since?: number;
  /** ms since epoch, exclusive. */
  until?: number;
  /** Exact event names; empty or absent means all. */
  events?: readonly string[];
}

/** A timeline row as stored: the payload stays JSON text so exports can write it verbatim. */
export interface TimelineRow {
  id: number;
  /** ms since epoch; null for a record logged without a stamp. */
  ts: number | null;
  event: string;
  workspace_id: string | null;
  instance_id: string | null;
  fields: string;
  source: EventSource;
  marshal_error: number;
}

const PAGE = 5000;
const ROW_COLUMNS = "id, ts, event, workspace_id, instance_id, fields, source, marshal_error";

/**
 * The timeline, oldest first (records without a stamp first, in file order), read in pages
 * by keyset over (ts, id), which the (workspace_id, ts) and (ts) indexes serve in order: a
 * reader that stops early or pauses between pages holds no transaction open.
 */
export function* timelineRows(db: Db, filter: TimelineFilter): Generator<TimelineRow> {
  const { sql, params } = timelineWhere(filter);
  // No column alias may be named ts: ORDER BY would bind to it and sort every page in full.
  const page = db.prepare<Record<string, unknown>, TimelineRow>(
    `SELECT ${ROW_COLUMNS} FROM events WHERE ${sql} AND (ts, id) > (@afterTs, @afterId) ORDER BY ts, id LIMIT ${PAGE}`,
  );
  let afterTs = Number.MIN_SAFE_INTEGER;
  let afterId = 0;
  for (;;) {
    const rows = page.all({ ...params, afterTs, afterId });
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!;
    afterTs = last.ts!;
    afterId = last.id;
    for (const row of rows) {
      if (row.ts === NO_STAMP) row.ts = null;
      yield row;
    }
    if (rows.length < PAGE) return;
  }
}

/**
 * One SQL expression per timeline row, oldest first, in a single read transaction: an export
 * is one consistent snapshot even while an import writes, and reads in one pass. `expression`
 * sees the events columns; `ts` in it is the stored value (-1 without a stamp).
 */
export function timelineValues<T>(db: Db, filter: TimelineFilter, expression: string): IterableIterator<T> {
  const { sql, params } = timelineWhere(filter);
  return db
    .prepare<Record<string, unknown>, T>(`SELECT ${expression} FROM events WHERE ${sql} ORDER BY ts, id`)
    .pluck()
    .iterate(params);
}

function timelineWhere(filter: TimelineFilter): { sql: string; params: Record<string, unknown> } {
  const where: string[] = ["1"];
  const params: Record<string, unknown> = {};
  if (filter.workspaceId !== undefined) {
    where.push("workspace_id = @ws");
    params.ws = filter.workspaceId;
  }
  // A time window leaves out records that have no time.
  if (filter.since !== undefined || filter.until !== undefined) where.push("ts >= 0");
  if (filter.since !== undefined) {
    where.push("ts >= @since");
    params.since = filter.since;
  }
  if (filter.until !== undefined) {
    where.push("ts < @until");
    params.until = filter.until;
  }
  if (filter.events && filter.events.length > 0) {
    where.push(`event IN (${filter.events.map((_, i) => `@e${i}`).join(", ")})`);
    filter.events.forEach((e, i) => {
      params[`e${i}`] = e;
    });
  }
  return { sql: where.join(" AND "), params };
}
