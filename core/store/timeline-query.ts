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

/**
 * The timeline, oldest first (records without a stamp first, in file order), read in pages
 * by keyset over (ts, id), which the (workspace_id, ts) and (ts, …) indexes serve in order,
 * so an export of millions of rows never holds them all and never re-scans.
 */
export function* timelineRows(db: Db, filter: TimelineFilter): Generator<TimelineRow> {
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
  const page = db.prepare<Record<string, unknown>, TimelineRow & { key: number }>(
    `SELECT id, nullif(ts, -1) AS ts, ts AS key, event, workspace_id, instance_id, fields, source, marshal_error
     FROM events WHERE ${where.join(" AND ")} ORDER BY ts, id LIMIT ${PAGE}`,
  );
  let afterTs = Number.MIN_SAFE_INTEGER;
  let afterId = 0;
  for (;;) {
    const rows = page.all({ ...params, afterTs, afterId });
    for (const row of rows) yield row;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    afterTs = last.key;
    afterId = last.id;
  }
}
