import { afterEach, describe, expect, it } from "vitest";
import { type Sim, startSim } from "./index";
import { call, FAST, START, tenantHeaders } from "./test-support";

let s: Sim;
afterEach(async () => {
  await s.close();
});

const bearer = (sim: Sim) => ({ authorization: `Bearer ${sim.env.ADMIN_TOKEN}` });

describe("/_sim/faults (fault control for a person in another shell)", () => {
  it("requires the ADMIN_TOKEN bearer", async () => {
    s = await startSim({ timing: FAST, startAt: START });
    const body = { route: "tenant.list", fault: { kind: "reset" } };
    expect((await call(s, "GET", "/_sim/faults")).status).toBe(401);
    expect((await call(s, "POST", "/_sim/faults", { body })).status).toBe(401);
    const wrong = { authorization: `Bearer ${s.env.MOLECULE_CP_SHARED_SECRET}` };
    expect((await call(s, "POST", "/_sim/faults", { headers: wrong, body })).json).toEqual({ error: "unauthorized" });
    expect((await call(s, "DELETE", "/_sim/faults")).status).toBe(401);
    expect(s.faults.list()).toEqual([]);
  });

  it("sets, lists and clears faults that then apply to the routes", async () => {
    s = await startSim({ timing: FAST, startAt: START });
    const set = await call(s, "POST", "/_sim/faults", {
      headers: bearer(s),
      body: { route: "tenant.list", fault: { kind: "status", status: 503 }, times: 1 },
    });
    expect(set.status).toBe(201);
    expect(set.json).toEqual([{ route: "tenant.list", fault: { kind: "status", status: 503 }, remaining: 1 }]);
    expect((await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) })).status).toBe(503);
    expect((await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) })).status).toBe(200);

    const spec = await call(s, "POST", "/_sim/faults", {
      headers: bearer(s),
      body: { spec: "tenant.events=unauthorized" },
    });
    expect(spec.status).toBe(201);
    expect((await call(s, "GET", "/_sim/faults", { headers: bearer(s) })).json).toEqual([
      { route: "tenant.events", fault: { kind: "unauthorized" }, remaining: null },
    ]);
    expect((await call(s, "GET", "/events", { headers: tenantHeaders(s) })).status).toBe(401);
    expect((await call(s, "DELETE", "/_sim/faults", { headers: bearer(s) })).json).toEqual([]);
    expect((await call(s, "GET", "/events", { headers: tenantHeaders(s) })).status).toBe(200);
  });

  it("answers 400 with the reason for bad input", async () => {
    s = await startSim({ timing: FAST, startAt: START });
    const bad = async (body: unknown) => call(s, "POST", "/_sim/faults", { headers: bearer(s), body });
    expect((await bad({ route: "cp.nope", fault: { kind: "reset" } })).json.error).toMatch(/valid routes/);
    expect((await bad({ route: "cp.stop", fault: { kind: "nap" } })).json.error).toMatch(/valid kinds/);
    expect((await bad({ route: "cp.stop", fault: { kind: "reset" }, times: "2" })).status).toBe(400);
    expect((await bad({ spec: "cp.stop=nap" })).json.error).toMatch(/bad fault spec/);
    expect((await bad({ route: "tenant.ws", fault: { kind: "oversized", bytes: 9 } })).json.error).toMatch(
      /does not apply to tenant\.ws/,
    );
    expect((await bad([])).status).toBe(400);
    const raw = await call(s, "POST", "/_sim/faults", { headers: bearer(s), rawBody: "route=cp.stop" });
    expect(raw.status).toBe(400);
    expect(s.faults.list()).toEqual([]);
  });
});
