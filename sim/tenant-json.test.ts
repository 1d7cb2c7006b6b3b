import { describe, expect, it } from "vitest";
import { RUNTIMES, SPEC_STATUSES, UNKNOWN_STATUS } from "./catalog";
import type { Sim, TenantWorkspace } from "./index";
import { call, orgHeaders, START, STILL, simsAtStart, tenantHeaders } from "./test-support";

const simAt = simsAtStart();
/**
 * These tests compare answers with state read moments before or with another sim started moments
 * later: no boot may finish in between (on a loaded machine FAST boots did), so nothing moves.
 */
const sim: typeof simAt = (options = {}) => simAt({ ...options, timing: { ...STILL, ...options.timing } });
const get = (s: Sim, path: string) => call(s, "GET", path, { headers: tenantHeaders(s) });

/** scanWorkspaceRow's keys, in encoding/json's (sorted) order. */
const LIST_KEYS = [
  "active_tasks",
  "agent_card",
  "budget_limit",
  "collapsed",
  "current_task",
  "id",
  "last_error_rate",
  "last_sample_error",
  "max_concurrent_tasks",
  "monthly_spend",
  "name",
  "parent_id",
  "role",
  "runtime",
  "status",
  "tier",
  "uptime_seconds",
  "url",
  "workspace_dir",
  "x",
  "y",
];
const STRIPPED = ["last_sample_error", "current_task", "budget_limit", "monthly_spend", "workspace_dir"];
const DETAIL_KEYS = [...LIST_KEYS.filter((k) => !STRIPPED.includes(k)), "last_outbound_at"].sort();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Postgres timestamptz through encoding/json: µs at most, trailing zeros trimmed. */
const PG_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,5}[1-9])?Z$/;
const keysOf = (ws: object) => Object.keys(ws).filter((k) => k !== "provision_timeout_ms");

describe("GET /workspaces (handlers/workspace.go List)", () => {
  it("serves exactly scanWorkspaceRow's fields, sorted as Go writes them: no instance_id, created_at or updated_at", async () => {
    const s = await sim({ workspaces: 40 });
    const res = await get(s, "/workspaces");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const list = res.json as TenantWorkspace[];
    expect(list).toHaveLength(40);
    for (const ws of list) {
      // JSON.parse keeps the order of the bytes: this is the wire order.
      expect(keysOf(ws)).toEqual(LIST_KEYS);
      expect(ws).not.toHaveProperty("instance_id");
      expect(ws).not.toHaveProperty("created_at");
      expect(ws).not.toHaveProperty("updated_at");
      expect(ws.id).toMatch(UUID_V4);
      expect(RUNTIMES).toContain(ws.runtime);
      expect(typeof ws.url).toBe("string");
      expect(typeof ws.current_task).toBe("string");
      expect(typeof ws.last_sample_error).toBe("string");
      expect(ws.workspace_dir).toBeNull();
      expect(ws.role === null || (typeof ws.role === "string" && ws.role !== "")).toBe(true);
      expect(ws.budget_limit === null || Number.isInteger(ws.budget_limit)).toBe(true);
      expect(ws.agent_card === null || typeof ws.agent_card === "object").toBe(true);
      expect(ws.max_concurrent_tasks).toBeGreaterThanOrEqual(1);
      // handlers/runtime_provision_timeouts.go: only a template that declares one adds it.
      if (ws.runtime === "hermes") expect(ws.provision_timeout_ms).toBe(1_800_000);
      else expect(ws).not.toHaveProperty("provision_timeout_ms");
      if (ws.status === "provisioning") expect(ws.url).toBe("");
    }
    expect(list.some((ws) => ws.role === null)).toBe(true);
    expect(list.find((ws) => ws.status === "online")?.uptime_seconds).toBeGreaterThan(0);
  });

  it("serves SPEC statuses, one unknown status, externals, a paused parent with a paused child, and mostly online", async () => {
    const s = await sim({ workspaces: 40 });
    const list = (await get(s, "/workspaces")).json as TenantWorkspace[];
    const statuses = list.map((ws) => ws.status);
    expect(statuses.filter((status) => status === UNKNOWN_STATUS)).toHaveLength(1);
    expect((SPEC_STATUSES as readonly string[]).includes(UNKNOWN_STATUS)).toBe(false);
    for (const status of ["online", "provisioning", "failed", "degraded", "hibernated", "awaiting_agent", "paused"]) {
      expect(statuses).toContain(status);
    }
    const counts = new Map<string, number>();
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
    expect(counts.get("online")).toBe(Math.max(...counts.values()));
    const externals = list.filter((ws) => ws.runtime === "external");
    expect(externals.map((ws) => ws.status)).toEqual(expect.arrayContaining(["awaiting_agent", "online"]));
    for (const ws of externals) expect(s.state.instanceOf(ws.id)).toBeNull();
    // Only an external workspace waits for its agent.
    for (const ws of list.filter((w) => w.status === "awaiting_agent")) expect(ws.runtime).toBe("external");
    const ids = new Map(list.map((ws) => [ws.id, ws]));
    const pausedChild = list.find((ws) => ws.status === "paused" && ids.get(ws.parent_id ?? "")?.status === "paused");
    expect(pausedChild).toBeDefined();
    for (const ws of list) if (ws.parent_id !== null) expect(ids.has(ws.parent_id)).toBe(true);
  });

  it("keeps each workspace's instance id inside: instanceOf is the CP's live instance for live workspaces", async () => {
    const s = await sim({ workspaces: 40 });
    const instances = new Map(s.state.instances().map((i) => [i.instance_id, i]));
    for (const ws of s.state.workspaces()) {
      const instanceId = s.state.instanceOf(ws.id);
      if (ws.status === "online" || ws.status === "degraded" || ws.status === "provisioning") {
        if (ws.runtime === "external") continue;
        expect(instances.get(instanceId ?? "")).toMatchObject({ workspace_id: ws.id });
        expect(["running", "pending"]).toContain(instances.get(instanceId ?? "")?.state);
      }
      if (ws.status === "paused") expect(instanceId).toBeNull();
    }
    expect(s.state.instanceOf("00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("leaves removed workspaces out of the list, but not out of state.workspaces()", async () => {
    const s = await sim();
    const victim = s.state.workspaces().find((w) => w.status === "online" && w.runtime !== "external");
    if (!victim) throw new Error("no online workspace");
    s.state.removeLeavingInstance(victim.id);
    const listed = ((await get(s, "/workspaces")).json as TenantWorkspace[]).map((w) => w.id);
    expect(listed).not.toContain(victim.id);
    expect(listed).toHaveLength(11);
    expect(s.state.workspaces().find((w) => w.id === victim.id)?.status).toBe("removed");
  });

  it("is deterministic for a seed and a start time, and differs across seeds", async () => {
    const [a, b, c] = await Promise.all([sim({ seed: 7 }), sim({ seed: 7 }), sim({ seed: 8 })]);
    const strip = (list: TenantWorkspace[]) => list.map(({ uptime_seconds: _, ...rest }) => rest);
    const [la, lb, lc] = await Promise.all([a, b, c].map(async (x) => (await get(x as Sim, "/workspaces")).json));
    expect(strip(la)).toEqual(strip(lb));
    expect(strip(la)).not.toEqual(strip(lc));
    expect(a?.state.instances()).toEqual(b?.state.instances());
  });
});

describe("GET /workspaces/:id (open; handlers/workspace.go Get)", () => {
  it("answers the list object less the operational fields, plus last_outbound_at, with the org header alone", async () => {
    // uptime_seconds is what an agent said at its latest heartbeat; without heartbeats it follows
    // the clock and a second can turn between the state read and an answer. Hourly beats (none
    // due in the first two minutes of seed 1) hold it still for the test.
    const s = await sim({ timing: { heartbeatMs: 3_600_000 } });
    for (const ws of s.state.workspaces()) {
      const res = await call(s, "GET", `/workspaces/${ws.id}`, { headers: orgHeaders(s) });
      expect(res.status).toBe(200);
      expect(keysOf(res.json)).toEqual(DETAIL_KEYS);
      for (const key of DETAIL_KEYS.filter((k) => k !== "last_outbound_at"))
        expect(res.json[key]).toEqual(ws[key as keyof TenantWorkspace]);
      const outbound = res.json.last_outbound_at;
      if (outbound !== null) expect(outbound).toMatch(PG_TIME);
    }
  });

  it("answers 410 for a removed workspace (200 with ?include_removed=true), 404 unknown, 400 for a non-UUID", async () => {
    const s = await sim();
    const victim = s.state
      .workspaces()
      .find((w) => w.status === "online" && w.runtime !== "external") as TenantWorkspace;
    s.state.removeLeavingInstance(victim.id);
    const gone = await call(s, "GET", `/workspaces/${victim.id}`, { headers: orgHeaders(s) });
    expect(gone.status).toBe(410);
    expect(Object.keys(gone.json)).toEqual(["error", "hint", "id", "removed_at"]);
    expect(gone.json).toMatchObject({
      error: "workspace removed",
      id: victim.id,
      hint: "Regenerate workspace + token from the canvas → Tokens tab",
    });
    expect(gone.json.removed_at).toMatch(PG_TIME);
    expect(Date.parse(gone.json.removed_at)).toBeGreaterThanOrEqual(START);
    const kept = await call(s, "GET", `/workspaces/${victim.id}?include_removed=true`, { headers: orgHeaders(s) });
    expect(kept).toMatchObject({ status: 200, json: { id: victim.id, status: "removed" } });
    expect(
      await call(s, "GET", "/workspaces/00000000-0000-4000-8000-000000000000", { headers: orgHeaders(s) }),
    ).toMatchObject({
      status: 404,
      json: { error: "workspace not found" },
    });
    for (const bad of ["nope", "1234", `${victim.id}x`]) {
      expect(await call(s, "GET", `/workspaces/${bad}`, { headers: orgHeaders(s) })).toMatchObject({
        status: 400,
        json: { error: "invalid workspace ID" },
      });
    }
  });

  it("reads ids as uuid.Parse and the uuid column do: any case, braces, bare hex", async () => {
    const s = await sim();
    const ws = s.state.workspaces()[0] as TenantWorkspace;
    for (const form of [ws.id.toUpperCase(), `{${ws.id}}`, ws.id.replaceAll("-", "")]) {
      const res = await call(s, "GET", `/workspaces/${encodeURIComponent(form)}`, { headers: orgHeaders(s) });
      expect(res).toMatchObject({ status: 200, json: { id: ws.id } });
    }
    // uuid.Parse takes the URN form; Postgres does not, so the query fails.
    const urn = await call(s, "GET", `/workspaces/urn:uuid:${ws.id}`, { headers: orgHeaders(s) });
    expect(urn).toMatchObject({ status: 500, json: { error: "query failed" } });
  });
});
