import type { Db } from "./open-store";
import type { EventSource } from "./timeline-events";

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
  ts: number | null;
  event: string;
  workspace_id: string | null;
  instance_id: string | null;
  fields: string;
  source: EventSource;
  marshal_error: number;
}

const PAGE = 5000;

/**
 * The timeline, oldest first (records without a stamp first, in file order), read in pages
 * by keyset so an export of millions of rows never holds them all and never re-scans.
 */
export function* timelineRows(db: Db, filter: TimelineFilter): Generator<TimelineRow> {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.workspaceId !== undefined) {
    where.push("workspace_id = @ws");
    params.ws = filter.workspaceId;
  }
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
  const base = where.length ? `${where.join(" AND ")} AND ` : "";
  const columns = "id, ts, event, workspace_id, instance_id, fields, source, marshal_error";
  // Two keyset passes that the (workspace_id, ts) and (ts) indexes serve in order (rowid is
  // their last column): first the records without a stamp, in file order, then by (ts, id).
  // A since/until filter excludes unstamped records, as SQL comparisons with NULL do.
  if (filter.since === undefined && filter.until === undefined) {
    const unstamped = db.prepare<Record<string, unknown>, TimelineRow>(
      `SELECT ${columns} FROM events WHERE ${base}ts IS NULL AND id > @afterId ORDER BY id LIMIT ${PAGE}`,
    );
    yield* pages(
      (afterId) => unstamped.all({ ...params, afterId }),
      (row) => row.id,
      0,
    );
  }
  const stamped = db.prepare<Record<string, unknown>, TimelineRow>(
    `SELECT ${columns} FROM events WHERE ${base}(ts, id) > (@afterTs, @afterId) ORDER BY ts, id LIMIT ${PAGE}`,
  );
  let afterTs = Number.MIN_SAFE_INTEGER;
  let afterId = 0;
  for (;;) {
    const rows = stamped.all({ ...params, afterTs, afterId });
    for (const row of rows) yield row;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    afterTs = last.ts!;
    afterId = last.id;
  }
}

function* pages<K>(
  fetch: (after: K) => TimelineRow[],
  keyOf: (row: TimelineRow) => K,
  start: K,
): Generator<TimelineRow> {
  let after = start;
  for (;;) {
    const rows = fetch(after);
    for (const row of rows) yield row;
    if (rows.length < PAGE) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}
