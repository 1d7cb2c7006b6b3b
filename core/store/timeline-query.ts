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

/**
 * A CSV-bound row as an array: [id, ts, event, workspace_id, instance_id, tail], where tail is
 * `source,"fields"` + CRLF with the payload's quotes already doubled by SQLite (RFC 4180).
 * Doubling quotes in C instead of JS halves the time of a large export.
 */
export type CsvTimelineRow = [number, number | null, string, string | null, string | null, string];

const PAGE = 5000;
const ROW_COLUMNS = "id, ts, event, workspace_id, instance_id, fields, source, marshal_error";
const CSV_COLUMNS = `id, ts, event, workspace_id, instance_id, source || ',"' || replace(fields, '"', '""') || '"' || char(13, 10)`;

/**
 * The timeline, oldest first (records without a stamp first, in file order), read in pages
 * by keyset over (ts, id), which the (workspace_id, ts) and (ts) indexes serve in order, so
 * an export of millions of rows never holds them all and never re-scans.
 */
export function* timelineRows(db: Db, filter: TimelineFilter): Generator<TimelineRow> {
  for (const row of pages<TimelineRow>(db, filter, ROW_COLUMNS, false, (r) => [r.ts!, r.id])) {
    if (row.ts === NO_STAMP) row.ts = null;
    yield row;
  }
}

export function* timelineCsvRows(db: Db, filter: TimelineFilter): Generator<CsvTimelineRow> {
  for (const row of pages<CsvTimelineRow>(db, filter, CSV_COLUMNS, true, (r) => [r[1]!, r[0]])) {
    if (row[1] === NO_STAMP) row[1] = null;
    yield row;
  }
}

function* pages<R>(
  db: Db,
  filter: TimelineFilter,
  columns: string,
  raw: boolean,
  keyOf: (row: R) => [number, number],
): Generator<R> {
  const where: string[] = ["(ts, id) > (@afterTs, @afterId)"];
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
  // No column alias may be named ts: ORDER BY would bind to it and sort every page in full.
  const page = db
    .prepare<Record<string, unknown>, R>(
      `SELECT ${columns} FROM events WHERE ${where.join(" AND ")} ORDER BY ts, id LIMIT ${PAGE}`,
    )
    .raw(raw);
  let afterTs = Number.MIN_SAFE_INTEGER;
  let afterId = 0;
  for (;;) {
    const rows = page.all({ ...params, afterTs, afterId });
    if (rows.length === 0) return;
    [afterTs, afterId] = keyOf(rows[rows.length - 1]!);
    yield* rows;
    if (rows.length < PAGE) return;
  }
}
