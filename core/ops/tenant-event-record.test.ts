import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store/store";
import { parseTenantEvent, type TenantEvent } from "../tenant/tenant-records";
import { tempDirPerTest } from "../testing/temp-dir";
import { recordListedEvent, recordPushedEvent } from "./tenant-event-record";
import { type PushedEvent, parsePushedEvent } from "./tenant-feed";

const dir = tempDirPerTest("tenant-events-");
let store: Store;

beforeEach(() => {
  store = Store.open(join(dir(), "cache.db"));
});
afterEach(() => store.close());

const WS = "6f1c9a52-3b7e-4d2a-9c1e-0a2b3c4d5e6f";

/** GET /events item as handlers/events.go writes it (created_at: Postgres, microseconds). */
function listed(id: string, type: string, createdAt: string, payload: unknown, ws: string | null = WS): TenantEvent {
  const e = parseTenantEvent({ id, event_type: type, workspace_id: ws, payload, created_at: createdAt });
  if (!e) throw new Error("bad test event");
  return e;
}

/** A /ws message as models/event.go WSMessage marshals it (timestamp: the broadcast's RFC3339Nano). */
function pushed(type: string, timestamp: string, payload: unknown, ws: string | null = WS): PushedEvent {
  const e = parsePushedEvent(JSON.stringify({ event: type, workspace_id: ws ?? "", timestamp, payload }));
  if (!e) throw new Error("bad test message");
  return e;
}

function tenantRows() {
  return store.db
    .prepare("SELECT ts, event, fields, tenant_event_id, pushed FROM events WHERE source = 'tenant' ORDER BY ts, id")
    .all() as Array<{ ts: number; event: string; fields: string; tenant_event_id: string | null; pushed: number }>;
}

describe("a tenant event delivered by both GET /events and /ws", () => {
  // The same WORKSPACE_DEGRADED: stored at 12:30:11.123456, broadcast 1.5 s later (a slow DB
  // commit, or a platform clock ahead of the database's), with the payload's keys in another order
  // (Postgres jsonb reorders them; the broadcast sends Go's encoding).
  const listedCopy = () =>
    listed("e-1", "WORKSPACE_DEGRADED", "2026-05-05T12:30:11.123456Z", { sample_error: "429", error_rate: 0.5 });
  const pushedCopy = () =>
    pushed("WORKSPACE_DEGRADED", "2026-05-05T12:30:12.623456789Z", { error_rate: 0.5, sample_error: "429" });

  it("is stored once when /ws comes first, with the broadcast time, and learns the tenant's id", () => {
    expect(recordPushedEvent(store, pushedCopy())).toBe(true);
    expect(recordListedEvent(store, listedCopy())).toBe(false);
    expect(recordListedEvent(store, listedCopy())).toBe(false);
    expect(tenantRows()).toEqual([
      {
        ts: Date.parse("2026-05-05T12:30:12.623Z"),
        event: "WORKSPACE_DEGRADED",
        fields: '{"error_rate":0.5,"sample_error":"429"}',
        tenant_event_id: "e-1",
        pushed: 1,
      },
    ]);
  });

  it("is stored once when the list comes first, with created_at, and a late push adds nothing", () => {
    expect(recordListedEvent(store, listedCopy())).toBe(true);
    expect(recordPushedEvent(store, pushedCopy())).toBe(false);
    expect(tenantRows()).toEqual([
      expect.objectContaining({ ts: Date.parse("2026-05-05T12:30:11.123Z"), tenant_event_id: "e-1", pushed: 1 }),
    ]);
  });

  it("pairs two identical events seconds apart each with its own twin, whatever the order", () => {
    const first = listed("e-1", "WORKSPACE_OFFLINE", "2026-05-05T12:30:00.000100Z", {});
    const second = listed("e-2", "WORKSPACE_OFFLINE", "2026-05-05T12:30:03.000100Z", {});
    recordPushedEvent(store, pushed("WORKSPACE_OFFLINE", "2026-05-05T12:30:03.004Z", {}));
    recordPushedEvent(store, pushed("WORKSPACE_OFFLINE", "2026-05-05T12:30:00.004Z", {}));
    expect(recordListedEvent(store, first)).toBe(false);
    expect(recordListedEvent(store, second)).toBe(false);
    expect(tenantRows().map((r) => [r.ts, r.tenant_event_id])).toEqual([
      [Date.parse("2026-05-05T12:30:00.004Z"), "e-1"],
      [Date.parse("2026-05-05T12:30:03.004Z"), "e-2"],
    ]);
  });

  it("keeps events that differ in type, workspace or payload, or lie outside the window, apart", () => {
    recordPushedEvent(store, pushed("WORKSPACE_OFFLINE", "2026-05-05T12:30:00Z", {}));
    expect(recordListedEvent(store, listed("a", "WORKSPACE_ONLINE", "2026-05-05T12:30:00Z", {}))).toBe(true);
    expect(recordListedEvent(store, listed("b", "WORKSPACE_OFFLINE", "2026-05-05T12:30:00Z", {}, "other-ws"))).toBe(
      true,
    );
    expect(recordListedEvent(store, listed("c", "WORKSPACE_OFFLINE", "2026-05-05T12:30:00Z", { x: 1 }))).toBe(true);
    expect(recordListedEvent(store, listed("d", "WORKSPACE_OFFLINE", "2026-05-05T12:31:00Z", {}))).toBe(true);
    expect(recordListedEvent(store, listed("e", "WORKSPACE_OFFLINE", "2026-05-05T12:30:01Z", {}))).toBe(false);
    expect(tenantRows()).toHaveLength(5);
  });

  it("notes the tenant's (re)provisioning, from either side, keeping the latest", () => {
    store.workspaces.upsertMany(
      [{ id: WS, name: "w", status: "online", runtime: null, tier: null, parentId: null, fields: { id: WS } }],
      1,
    );
    recordListedEvent(store, listed("p1", "WORKSPACE_PROVISIONING", "2026-05-05T12:00:00Z", { name: "w" }));
    expect(store.workspaces.get(WS)?.provisioningAt).toBe(Date.parse("2026-05-05T12:00:00Z"));
    recordPushedEvent(store, pushed("WORKSPACE_PROVISIONING", "2026-05-05T13:00:00Z", { name: "w" }));
    recordListedEvent(store, listed("p0", "WORKSPACE_PROVISIONING", "2026-05-05T11:00:00Z", { name: "w" }));
    expect(store.workspaces.get(WS)?.provisioningAt).toBe(Date.parse("2026-05-05T13:00:00Z"));
  });
});
