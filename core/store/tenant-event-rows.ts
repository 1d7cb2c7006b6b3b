import type { Db } from "./open-store";
import type { TimelineEvents } from "./timeline-events";

/** A tenant event as the timeline keeps it; `fieldsJson` is canonical (sorted keys) on both paths. */
export interface TenantEventRow {
  ts: number | null;
  event: string;
  workspaceId: string | null;
  instanceId: string | null;
  fieldsJson: string;
}

/**
 * How far apart the two times of one event may be. GET /events gives the row's created_at
 * (Postgres now() at the insert); /ws gives time.Now() at the broadcast right after it
 * (events/broadcaster.go RecordAndBroadcast): milliseconds apart, plus whatever the database's
 * and the platform's clocks disagree by. The closest candidate wins, so two identical events a
 * few seconds apart still pair each with its own.
 */
export const PAIRING_WINDOW_MS = 5000;

/**
 * The tenant's events, each stored once although the tenant delivers it twice: listed by GET
 * /events (with its id and created_at) and pushed on /ws (at its broadcast time, without an id).
 * Whichever arrives first is stored with its own time; the second pairs with it (one to one, the
 * closest in time within the window) and adds nothing.
 */
export class TenantEventRows {
  private readonly byTenantId;
  private readonly unlistedNear;
  private readonly unpushedNear;
  private readonly setTenantId;
  private readonly setPushed;

  constructor(
    db: Db,
    private readonly events: TimelineEvents,
  ) {
    this.byTenantId = db.prepare<[string], { id: number }>("SELECT id FROM events WHERE tenant_event_id = ?");
    const near = (pairable: string) =>
      db.prepare<{ ws: string | null; event: string; fields: string; ts: number; window: number }, { id: number }>(
        `SELECT id FROM events INDEXED BY events_tenant_pairing
         WHERE source = 'tenant' AND workspace_id IS @ws AND event = @event
           AND ts BETWEEN @ts - @window AND @ts + @window AND fields = @fields AND ${pairable}
         ORDER BY abs(ts - @ts), id LIMIT 1`,
      );
    // A row without an id came from /ws (or from a cache older than the pairing): the list may claim it.
    this.unlistedNear = near("tenant_event_id IS NULL");
    this.unpushedNear = near("pushed = 0");
    this.setTenantId = db.prepare<[string, number]>("UPDATE events SET tenant_event_id = ? WHERE id = ?");
    this.setPushed = db.prepare<[number]>("UPDATE events SET pushed = 1 WHERE id = ?");
  }

  /** An event from GET /events, known by the tenant's id; returns whether a row was added. */
  recordListed(e: TenantEventRow, tenantId: string): boolean {
    if (this.byTenantId.get(tenantId)) return false;
    const twin = e.ts === null ? undefined : this.unlistedNear.get(this.near(e));
    if (twin) {
      this.setTenantId.run(tenantId, twin.id);
      return false;
    }
    return this.events.record({ ...e, source: "tenant", tenantEventId: tenantId }, `tenant-id\u0000${tenantId}`);
  }

  /** An event pushed on /ws at `timestamp` (as sent); returns whether a row was added. */
  recordPushed(e: TenantEventRow, timestamp: string): boolean {
    const twin = e.ts === null ? undefined : this.unpushedNear.get(this.near(e));
    if (twin) {
      this.setPushed.run(twin.id);
      return false;
    }
    const identity = `tenant-push\u0000${e.event}\u0000${e.workspaceId ?? ""}\u0000${timestamp}\u0000${e.fieldsJson}`;
    return this.events.record({ ...e, source: "tenant", pushed: true }, identity);
  }

  private near(e: TenantEventRow) {
    return {
      ws: e.workspaceId,
      event: e.event,
      fields: e.fieldsJson,
      ts: e.ts as number,
      window: PAIRING_WINDOW_MS,
    };
  }
}
