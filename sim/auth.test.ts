import { describe, expect, it } from "vitest";
import {
  adminHeaders,
  call,
  orgHeaders,
  provisionBody,
  provisionHeaders,
  simsAtStart,
  tenantHeaders,
} from "./test-support";

const sim = simsAtStart();
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

describe("CP provision routes (docs/contracts.md §2: Bearer <provision secret> + X-Molecule-Admin-Token)", () => {
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
    expect((await call(s, "POST", "/cp/workspaces/provision", { headers: good, body })).status).toBe(201);
  });

  it("guards stop and status the same way, and the CP needs no org header", async () => {
    const s = await sim();
    const created = await call(s, "POST", "/cp/workspaces/provision", {
      headers: provisionHeaders(s),
      body: provisionBody(s, "ws-2"),
    });
    const id = created.json.instance_id as string;
    expect((await call(s, "GET", `/cp/workspaces/ws-2/status?instance_id=${id}`)).status).toBe(401);
    expect((await call(s, "DELETE", `/cp/workspaces/ws-2?instance_id=${id}`)).status).toBe(401);
    expect(["pending", "running"]).toContain(s.state.instance(id)?.state);
    const status = await call(s, "GET", `/cp/workspaces/ws-2/status?instance_id=${id}`, {
      headers: provisionHeaders(s),
    });
    expect(status.status).toBe(200);
  });
});

describe("CP admin routes (Bearer <admin-route secret> + X-Molecule-Admin-Token)", () => {
  it("refuses the provision secret on /cp/admin/* when the secrets differ (the console 401 incident)", async () => {
    const s = await sim();
    const ws = s.state.workspaces().find((w) => w.status === "online");
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

describe("the tenant's org guard runs before any bearer check (middleware/tenant_guard.go)", () => {
  it("answers a wrong or missing X-Molecule-Org-Id with a bare 404 on every guarded path, with or without a bearer", async () => {
    const s = await sim();
    const ws = s.state.workspaces()[0]?.id ?? "";
    const requests: Array<[string, string]> = [
      ["GET", "/workspaces"],
      ["GET", `/workspaces/${ws}`],
      ["GET", "/workspaces/not-a-uuid"],
      ["POST", `/workspaces/${ws}/restart`],
      ["GET", `/workspaces/${ws}/console`],
      ["GET", "/events"],
      ["GET", `/events/${ws}`],
      ["POST", `/admin/workspaces/${ws}/bootstrap-failed`],
      ["GET", "/ws"],
      ["GET", "/no/such/route"],
    ];
    const wrongOrg: Array<Record<string, string>> = [
      { ...tenantHeaders(s), "x-molecule-org-id": "org-other" },
      { authorization: `Bearer ${s.env.ADMIN_TOKEN}` },
      {},
      { "x-molecule-org-id": "org-other" },
    ];
    for (const [method, path] of requests) {
      for (const headers of wrongOrg) {
        const res = await call(s, method, path, { headers });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.text).toBe("");
        expect(res.headers.get("content-type")).toBeNull();
        // Registered after the guard: a guard refusal has no security headers.
        expect(res.headers.get("x-frame-options")).toBeNull();
      }
    }
  });

  it("lets /health, /buildinfo and the agents' registry paths through without the org header, exact match only", async () => {
    const s = await sim();
    expect(await call(s, "GET", "/health")).toMatchObject({ status: 200, json: { status: "ok" } });
    expect(await call(s, "GET", "/buildinfo")).toMatchObject({ status: 200, json: { git_sha: "83454e5efd" } });
    // Past the guard, to gin's own 404 (the sim serves no registry).
    expect(await call(s, "POST", "/registry/heartbeat")).toMatchObject({ status: 404, text: "404 page not found" });
    expect(await call(s, "GET", "/health/debug")).toMatchObject({ status: 404, text: "" });
    // The org id may also come in Fly-Replay-Src's state= (the production routing path).
    const replay = { "fly-replay-src": `instance=91854;region=ord;state=${s.env.MOLECULE_ORG_ID}` };
    expect((await call(s, "GET", `/workspaces/${s.state.workspaces()[0]?.id}`, { headers: replay })).status).toBe(200);
  });
});

describe("the tenant's bearer gates (middleware/wsauth_middleware.go)", () => {
  it("AdminAuth: 401 'admin auth required' without a bearer, 'invalid admin auth token' with another one", async () => {
    const s = await sim();
    const ws = s.state.workspaces()[0]?.id ?? "";
    const adminRoutes: Array<[string, string]> = [
      ["GET", "/workspaces"],
      ["GET", "/events"],
      ["GET", `/events/${ws}`],
      ["GET", `/workspaces/${ws}/console`],
      ["POST", `/admin/workspaces/${ws}/bootstrap-failed`],
    ];
    for (const [method, path] of adminRoutes) {
      const missing = await call(s, method, path, { headers: orgHeaders(s) });
      expect(missing, `${method} ${path}`).toMatchObject({ status: 401, text: '{"error":"admin auth required"}' });
      // "Bearer " is case-sensitive and needs a token after it.
      for (const authorization of [`bearer ${s.env.ADMIN_TOKEN}`, "Bearer ", s.env.ADMIN_TOKEN ?? ""]) {
        const res = await call(s, method, path, { headers: { ...orgHeaders(s), authorization } });
        expect(res.json).toEqual({ error: "admin auth required" });
      }
      for (const token of ["nope", s.env.MOLECULE_CP_SHARED_SECRET, s.env.CP_ADMIN_API_TOKEN]) {
        const res = await call(s, method, path, { headers: { ...orgHeaders(s), authorization: `Bearer ${token}` } });
        expect(res).toMatchObject({ status: 401, json: { error: "invalid admin auth token" } });
      }
    }
    expect((await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) })).status).toBe(200);
  });

  it("WorkspaceAuth on restart: 'missing workspace auth token', 'invalid workspace auth token'; ADMIN_TOKEN opens it", async () => {
    const s = await sim();
    const ws = s.state.workspaces().find((w) => w.status === "online")?.id ?? "";
    const path = `/workspaces/${ws}/restart`;
    expect(await call(s, "POST", path, { headers: orgHeaders(s) })).toMatchObject({
      status: 401,
      text: '{"error":"missing workspace auth token"}',
    });
    expect(await call(s, "POST", path, { headers: { ...orgHeaders(s), authorization: "Bearer nope" } })).toMatchObject({
      status: 401,
      json: { error: "invalid workspace auth token" },
    });
    // The 401 comes before the handler: an unknown workspace is still a 401.
    expect((await call(s, "POST", `/workspaces/${UNKNOWN}/restart`, { headers: orgHeaders(s) })).status).toBe(401);
    expect((await call(s, "POST", path, { headers: tenantHeaders(s) })).status).toBe(200);
  });

  it("GET /workspaces/:id is open: the org header is enough, a bearer is not looked at", async () => {
    const s = await sim();
    const ws = s.state.workspaces()[0]?.id ?? "";
    expect((await call(s, "GET", `/workspaces/${ws}`, { headers: orgHeaders(s) })).status).toBe(200);
    const ignored = { ...orgHeaders(s), authorization: "Bearer whatever" };
    expect((await call(s, "GET", `/workspaces/${ws}`, { headers: ignored })).status).toBe(200);
  });

  it("puts the security headers on every answer past the org guard", async () => {
    const s = await sim();
    for (const res of [
      await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) }),
      await call(s, "GET", "/workspaces", { headers: orgHeaders(s) }),
    ]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-security-policy")).toBe("default-src 'self'");
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

describe("gates configured empty", () => {
  it("a CP without secrets serves without headers; a tenant without ADMIN_TOKEN fails open (dev mode), org guard kept", async () => {
    const s = await sim({ secrets: { provisionSecret: "", adminToken: "", adminApiToken: "" } });
    expect(s.env.MOLECULE_CP_SHARED_SECRET).toBe("");
    expect((await call(s, "POST", "/cp/workspaces/provision", { body: provisionBody(s, "ws-3") })).status).toBe(201);
    expect((await call(s, "GET", "/cp/admin/workspaces/ws-3/console")).status).toBe(200);
    const ws = s.state.workspaces().find((w) => w.status === "online")?.id ?? "";
    expect((await call(s, "GET", "/workspaces", { headers: orgHeaders(s) })).status).toBe(200);
    expect((await call(s, "POST", `/workspaces/${ws}/restart`, { headers: orgHeaders(s) })).status).toBe(200);
    expect((await call(s, "GET", "/workspaces")).status).toBe(404);
  });

  it("still enforces the CP gates that are configured", async () => {
    const s = await sim({ secrets: { provisionSecret: "" } });
    const body = provisionBody(s, "ws-4");
    expect((await call(s, "POST", "/cp/workspaces/provision", { body })).status).toBe(401);
    const headers = { "x-molecule-admin-token": s.env.ADMIN_TOKEN ?? "" };
    expect((await call(s, "POST", "/cp/workspaces/provision", { headers, body })).status).toBe(201);
  });
});

describe("the combined tenant image (canvasProxy: CANVAS_PROXY_URL set)", () => {
  it("lets a same-origin request through the org guard and WorkspaceAuth without credentials, not AdminAuth", async () => {
    const s = await sim({ canvasProxy: true });
    const origin = { origin: new URL(s.url).origin };
    const ws = s.state.workspaces().find((w) => w.status === "online")?.id ?? "";
    expect((await call(s, "GET", `/workspaces/${ws}`, { headers: origin })).status).toBe(200);
    expect((await call(s, "POST", `/workspaces/${ws}/restart`, { headers: origin })).status).toBe(200);
    expect(await call(s, "GET", "/workspaces", { headers: origin })).toMatchObject({
      status: 401,
      json: { error: "admin auth required" },
    });
    expect((await call(s, "GET", `/workspaces/${ws}`)).status).toBe(404);
    // Unrouted paths go to the canvas: its 404 page.
    const page = await call(s, "GET", "/nowhere", { headers: tenantHeaders(s) });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
  });
});
