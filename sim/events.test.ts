import { describe, expect, it } from "vitest";
import type { Sim, SimEvent, TenantWorkspace } from "./index";
import { call, START, STILL, simsAtStart, tenantHeaders } from "./test-support";

const simAt = simsAtStart();
/**
 * The tests compare answers with state read moments apart, and read the latest event: no seeded
 * boot may record one in between (on a loaded machine FAST ones did), so nothing moves.
 */
const sim: typeof simAt = (options = {}) => simAt({ ...options, timing: { ...STILL, ...options.timing } });
const get = (s: Sim, path: string) => call(s, "GET", path, { headers: tenantHeaders(s) });
const PG_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,5}[1-9])?Z$/;
const EVENT_KEYS = ["created_at", "event_type", "id", "payload", "workspace_id"];

describe("GET /events and GET /events/:workspaceId (handlers/events.go)", () => {
  it("serves the newest 100 recorded events, newest first, in the handler's shape", async () => {
    const s = await sim({ workspaces: 60 });
    const res = await get(s, "/events");
    const events = res.json as SimEvent[];
    expect(events).toHaveLength(100);
    for (const [index, event] of events.entries()) {
      expect(Object.keys(event)).toEqual(EVENT_KEYS);
      expect(event.event_type).toMatch(/^WORKSPACE_[A-Z_]+$/);
      expect(event.created_at).toMatch(PG_TIME);
      expect(Date.parse(event.created_at)).toBeLessThanOrEqual(START);
      const next = events[index + 1];
      if (next) expect(Date.parse(event.created_at)).toBeGreaterThanOrEqual(Date.parse(next.created_at));
    }
    expect(events).toEqual(s.state.events().slice(0, 100));
  });

  it("carries the platform's payloads, stored in jsonb's key order", async () => {
    const s = await sim({ workspaces: 40 });
    const events = s.state.events();
    const provisioning = events.find((e) => e.event_type === "WORKSPACE_PROVISIONING");
    expect(Object.keys(provisioning?.payload ?? {})).toEqual(["name", "tier", "runtime"]);
    const online = events.find((e) => e.event_type === "WORKSPACE_ONLINE");
    expect(Object.keys(online?.payload ?? {})).toEqual(["url", "agent_card", "delivery_mode"]);
    const degraded = events.find((e) => e.event_type === "WORKSPACE_DEGRADED");
    expect(Object.keys(degraded?.payload ?? {})).toEqual(["error_rate", "sample_error"]);
    expect(degraded?.payload.error_rate).toBeGreaterThanOrEqual(0.5);
    const failed = events.find((e) => e.event_type === "WORKSPACE_PROVISION_FAILED");
    expect(failed?.payload).toMatchObject({ source: "bootstrap_watcher" });
    expect(Object.keys(failed?.payload ?? {})).toEqual(["error", "source", "log_tail"]);
    const paused = events.find((e) => e.event_type === "WORKSPACE_PAUSED");
    expect(Object.keys(paused?.payload ?? {})).toEqual(["name"]);
    const awaiting = events.find((e) => e.event_type === "WORKSPACE_AWAITING_AGENT");
    expect(awaiting?.payload).toMatchObject({ external: true });
  });

  it("GET /events/:workspaceId: that workspace's newest 100, [] for an unknown one, 500 for a non-uuid", async () => {
    const s = await sim();
    const ws = s.state.workspaces().find((w) => w.status === "online" && w.runtime !== "external") as TenantWorkspace;
    s.state.setWorkspaceStatus(ws.id, "paused");
    const res = await get(s, `/events/${ws.id}`);
    expect(res.status).toBe(200);
    const events = res.json as SimEvent[];
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.workspace_id === ws.id)).toBe(true);
    expect(events[0]).toMatchObject({ event_type: "WORKSPACE_PAUSED", payload: { name: ws.name } });
    expect(events.map((e) => e.event_type).at(-1)).toBe("WORKSPACE_PROVISIONING");
    expect((await get(s, "/events/00000000-0000-4000-8000-000000000000")).json).toEqual([]);
    expect(await get(s, "/events/nope")).toMatchObject({ status: 500, json: { error: "query failed" } });
    s.faults.set("tenant.workspace-events", { kind: "status", status: 503 }, { times: 1 });
    expect((await get(s, `/events/${ws.id}`)).status).toBe(503);
    expect((await get(s, "/events")).status).toBe(200);
  });

  it("announces new events to subscribers at their INSERT, and records the platform's status payloads", async () => {
    const s = await sim();
    const seen: SimEvent[] = [];
    const off = s.state.onEvent((event) => seen.push(event));
    const ws = s.state.workspaces().find((w) => w.status === "online" && w.runtime !== "external") as TenantWorkspace;
    s.state.setWorkspaceStatus(ws.id, "hibernated");
    off();
    s.state.setWorkspaceStatus(ws.id, "paused");
    expect(seen.map((e) => [e.event_type, e.workspace_id, e.payload])).toEqual([
      ["WORKSPACE_HIBERNATED", ws.id, { name: ws.name, tier: ws.tier }],
    ]);
    expect((await get(s, "/events")).json[0]).toMatchObject({ event_type: "WORKSPACE_PAUSED", workspace_id: ws.id });
    // hibernating has no event; neither has a status the platform does not know.
    const count = s.state.events().length;
    s.state.setWorkspaceStatus(ws.id, "hibernating");
    s.state.setWorkspaceStatus(ws.id, "quarantined");
    expect(s.state.events()).toHaveLength(count);
  });
});
