import { describe, expect, it } from "vitest";
import { adminHeaders, call, provisionBody, provisionHeaders, simsPerTest, tenantHeaders } from "./test-support";

const sim = simsPerTest();

describe("CP provision routes (SPEC §2: Bearer <provision secret> + X-Molecule-Admin-Token)", () => {
  it("rejects a missing or wrong bearer or a missing admin token with 401 unauthorized", async () => {
    const s = await sim();
    const body = provisionBody(s, "ws-1");
    const good = provisionHeaders(s);
    const cases: Array<Record<string, string>> = [
      {},
      { ...good, authorization: "Bearer wrong" },
      { ...good, authorization: `${s.env.MOLECULE_CP_SHARED_SECRET}` },
      { authorization: good.authorization ?? "" },
      { ...good, "x-molecule-admin-token": "wrong" },
      { ...good, authorization: `Bearer ${s.env.CP_ADMIN_API_TOKEN}` },
    ];
    for (const headers of cases) {
      const res = await call(s, "POST", "/cp/workspaces/provision", { headers, body });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "unauthorized" });
    }
    expect(s.state.instances().filter((i) => i.workspace_id === "ws-1")).toEqual([]);
    const ok = await call(s, "POST", "/cp/workspaces/provision", { headers: good, body });
    expect(ok.status).toBe(201);
  });

  it("guards stop and status the same way", async () => {
    const s = await sim();
    const created = await call(s, "POST", "/cp/workspaces/provision", {
      headers: provisionHeaders(s),
      body: provisionBody(s, "ws-2"),
    });
    const id = created.json.instance_id as string;
    expect((await call(s, "GET", `/cp/workspaces/ws-2/status?instance_id=${id}`)).status).toBe(401);
    expect((await call(s, "DELETE", `/cp/workspaces/ws-2?instance_id=${id}`)).status).toBe(401);
    // The refused stop left it booting (pending, or running already on a loaded machine).
    expect(["pending", "running"]).toContain(s.state.instance(id)?.state);
  });
});

describe("CP admin routes (Bearer <admin-route secret> + X-Molecule-Admin-Token)", () => {
  it("refuses the provision secret on /cp/admin/* when the secrets differ (the console 401 incident)", async () => {
    const s = await sim();
    const ws = s.state.workspaces().find((w) => w.status === "online");
    expect(ws).toBeDefined();
    const path = `/cp/admin/workspaces/${ws?.id}/console`;
    expect((await call(s, "GET", path, { headers: provisionHeaders(s) })).json).toEqual({ error: "unauthorized" });
    expect(
      (await call(s, "GET", path, { headers: { authorization: adminHeaders(s).authorization ?? "" } })).status,
    ).toBe(401);
    expect((await call(s, "GET", path)).status).toBe(401);
    const ok = await call(s, "GET", path, { headers: adminHeaders(s) });
    expect(ok.status).toBe(200);
    expect(typeof ok.json.output).toBe("string");
  });

  it("accepts the provision secret on admin routes only when both secrets are the same value", async () => {
    const s = await sim({ secrets: { provisionSecret: "shared-1", adminApiToken: "shared-1" } });
    const ws = s.state.workspaces().find((w) => w.status === "online");
    const res = await call(s, "GET", `/cp/admin/workspaces/${ws?.id}/console`, { headers: provisionHeaders(s) });
    expect(res.status).toBe(200);
  });
});

describe("gates configured empty are not enforced (self-hosted CP)", () => {
  it("serves every family without headers when all secrets are empty, except the org check", async () => {
    const s = await sim({ secrets: { provisionSecret: "", adminToken: "", adminApiToken: "" } });
    expect(s.env.MOLECULE_CP_SHARED_SECRET).toBe("");
    const created = await call(s, "POST", "/cp/workspaces/provision", { body: provisionBody(s, "ws-3") });
    expect(created.status).toBe(201);
    expect((await call(s, "GET", "/cp/admin/workspaces/ws-3/console")).status).toBe(200);
    expect((await call(s, "GET", "/workspaces", { headers: { "x-molecule-org-id": "org-sim" } })).status).toBe(200);
    expect((await call(s, "GET", "/workspaces")).status).toBe(404);
  });

  it("still enforces the gates that are configured", async () => {
    const s = await sim({ secrets: { provisionSecret: "" } });
    const body = provisionBody(s, "ws-4");
    expect((await call(s, "POST", "/cp/workspaces/provision", { body })).status).toBe(401);
    const headers = { "x-molecule-admin-token": s.env.ADMIN_TOKEN ?? "" };
    expect((await call(s, "POST", "/cp/workspaces/provision", { headers, body })).status).toBe(201);
  });
});

describe("tenant routes (SPEC §3: Bearer <ADMIN_TOKEN> + X-Molecule-Org-Id)", () => {
  it("answers 401 without the right bearer and 404 for another or a missing org", async () => {
    const s = await sim();
    const good = tenantHeaders(s);
    const paths = ["/workspaces", `/workspaces/${s.state.workspaces()[0]?.id}`, "/events"];
    for (const path of paths) {
      expect((await call(s, "GET", path, { headers: { "x-molecule-org-id": "org-sim" } })).status).toBe(401);
      expect((await call(s, "GET", path, { headers: { ...good, authorization: "Bearer nope" } })).status).toBe(401);
      const provisionBearer = { ...good, authorization: `Bearer ${s.env.MOLECULE_CP_SHARED_SECRET}` };
      expect((await call(s, "GET", path, { headers: provisionBearer })).status).toBe(401);
      expect((await call(s, "GET", path, { headers: { ...good, "x-molecule-org-id": "org-other" } })).status).toBe(404);
      expect((await call(s, "GET", path, { headers: { authorization: good.authorization ?? "" } })).status).toBe(404);
      expect((await call(s, "GET", path, { headers: good })).status).toBe(200);
    }
  });

  it("records which headers arrived, so clients can be checked for what they send", async () => {
    const s = await sim();
    await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) });
    const last = s.state.requests().at(-1);
    expect(last).toMatchObject({ method: "GET", path: "/workspaces", route: "tenant.list", status: 200, done: true });
    expect(last?.headers["x-molecule-org-id"]).toBe("org-sim");
    expect(last?.headers.authorization).toBe(`Bearer ${s.env.ADMIN_TOKEN}`);
  });
});
