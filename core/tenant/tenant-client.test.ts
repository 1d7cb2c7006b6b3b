import { afterEach, describe, expect, it } from "vitest";
import { type Sim, type SimOptions, startSim, UNKNOWN_STATUS } from "../../sim";
import { opsFailure as failure } from "../testing/failure";
import { sendJson, startLoopbackServer } from "../testing/loopback-server";
import { TenantClient, type TenantClientOptions } from "./tenant-client";
import { readTenantConfig } from "./tenant-config";

const FAST = { pendingMs: 40, stoppingMs: 40, provisioningMs: 150 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sim(options: SimOptions = {}): Promise<Sim> {
  const s = await startSim({ timing: FAST, ...options });
  cleanups.push(() => s.close());
  return s;
}

function client(env: Record<string, string>, options: TenantClientOptions = {}): TenantClient {
  const c = new TenantClient(readTenantConfig(env), options);
  cleanups.push(() => c.close());
  return c;
}

function expectNoToken(text: string, token: string): void {
  expect(text).not.toContain(token);
  expect(text).not.toContain(token.slice(0, 6));
}

describe("TenantClient against the emulator", () => {
  it("lists every workspace with Bearer ADMIN_TOKEN and X-Molecule-Org-Id, unknown statuses as themselves", async () => {
    const s = await sim({ workspaces: 20 });
    const { workspaces, skipped } = await client(s.env).listWorkspaces();
    expect(skipped).toBe(0);
    expect(workspaces.map((w) => w.id).sort()).toEqual(
      s.state
        .workspaces()
        .map((w) => w.id)
        .sort(),
    );
    const quarantined = workspaces.filter((w) => w.status === UNKNOWN_STATUS);
    expect(quarantined).toHaveLength(1);
    const truth = s.state.workspace(quarantined[0]!.id)!;
    expect(quarantined[0]).toMatchObject({
      name: truth.name,
      runtime: truth.runtime,
      tier: truth.tier,
      parentId: truth.parent_id,
    });
    // The object is kept whole: fields we do not model survive. The platform sends no instance id.
    expect(quarantined[0]!.fields).toEqual(truth);
    expect(quarantined[0]!.fields).not.toHaveProperty("instance_id");
    const req = s.state.requests().find((r) => r.route === "tenant.list")!;
    expect(req.headers.authorization).toBe(`Bearer ${s.env.ADMIN_TOKEN}`);
    expect(req.headers["x-molecule-org-id"]).toBe(s.env.MOLECULE_ORG_ID);
    expect(req.headers.origin).toBe(new URL(s.url).origin);
  });

  it("does not send a header whose value is empty", async () => {
    const s = await sim({ workspaces: 2, secrets: { adminToken: "" } });
    const c = new TenantClient({ baseUrl: s.url, adminToken: "", orgId: "" });
    cleanups.push(() => c.close());
    await failure(c.listWorkspaces());
    const req = s.state.requests().find((r) => r.route === "tenant.list")!;
    expect(req.headers).not.toHaveProperty("authorization");
    expect(req.headers).not.toHaveProperty("x-molecule-org-id");
  });

  it("another org: the org guard's empty 404 is a configuration error naming the org id and the tenant URL", async () => {
    const s = await sim({ workspaces: 2 });
    for (const call of [
      (c: TenantClient) => c.listWorkspaces(),
      (c: TenantClient) => c.getWorkspace(s.state.workspaces()[0]!.id),
      (c: TenantClient) => c.restart(s.state.workspaces()[0]!.id),
    ]) {
      const error = await failure(call(client({ ...s.env, MOLECULE_ORG_ID: "org-other" })));
      expect(error.code).toBe("Config");
      expect(error.status).toBe(404);
      expect(error.message).toMatch(/an empty 404: check MOLECULE_ORG_ID .* and MOLECULE_TENANT_URL/);
      expect(error.message).not.toMatch(/not found|no such workspace/);
    }
    expect(s.state.requests().filter((r) => r.route === "tenant.restart" && r.status !== 404)).toHaveLength(0);
  });

  it("on SaaS, the edge's empty 404 for a request without Origin is never read as 'no such workspace'", async () => {
    const s = await sim({ workspaces: 2, saasEdge: true });
    // Our client sends the tenant URL's Origin, so the edge lets it through.
    expect((await client(s.env).listWorkspaces()).workspaces).toHaveLength(2);
    const bare = await fetch(`${s.url}/workspaces`, {
      headers: { authorization: `Bearer ${s.env.ADMIN_TOKEN}`, "x-molecule-org-id": s.env.MOLECULE_ORG_ID! },
    });
    expect(bare.status).toBe(404);
    expect(await bare.text()).toBe("");
  });

  it("a refused ADMIN_TOKEN: 401 says so without printing the token or a prefix", async () => {
    const s = await sim({ workspaces: 2 });
    const wrong = "wrong-token-0123456789abcdef";
    const error = await failure(client({ ...s.env, ADMIN_TOKEN: wrong }).listWorkspaces());
    expect(error.code).toBe("Upstream");
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/refused ADMIN_TOKEN \(401\)/);
    expectNoToken(error.message, wrong);
    expectNoToken(error.message, s.env.ADMIN_TOKEN!);
    const unset = await failure(client({ ...s.env, ADMIN_TOKEN: "" }).listWorkspaces());
    expect(unset.message).toBe("list workspaces: the tenant platform requires ADMIN_TOKEN (401), which is not set");
  });

  it("a 5xx whose body echoes the bearer: status and reason only, never the body", async () => {
    const s = await sim({ workspaces: 2 });
    const token = s.env.ADMIN_TOKEN!;
    s.faults.set("tenant.list", { kind: "status", status: 503, body: `upstream echo: Bearer ${token}` }, { times: 1 });
    const e503 = await failure(client(s.env).listWorkspaces());
    expect(e503.message).toBe("list workspaces: the tenant platform is unavailable (503)");
    expect(e503.toJSON()).toEqual({ code: "Upstream", message: e503.message, status: 503 });
    // The platform's own reason is shown; a secret in it is not.
    s.faults.set(
      "tenant.list",
      { kind: "status", status: 500, body: `{"error":"query failed for Bearer ${token}","trace":"${token}"}` },
      { times: 1 },
    );
    const e500 = await failure(client(s.env).listWorkspaces());
    expect(e500.message).toBe("list workspaces: the tenant platform failed (500): query failed for Bearer [redacted]");
    expectNoToken(e503.message + e500.message, token);
  });

  it("a black hole ends in Timeout at the deadline, a reset in Transport, a cancel in Cancelled", async () => {
    const s = await sim({ workspaces: 2 });
    s.faults.set("tenant.list", { kind: "blackhole" }, { times: 1 });
    const t0 = Date.now();
    const timeout = await failure(client(s.env, { timeoutMs: 300 }).listWorkspaces());
    expect(timeout.code).toBe("Timeout");
    expect(timeout.message).toBe("no answer from the tenant platform within 300 ms");
    expect(Date.now() - t0).toBeLessThan(5000);

    s.faults.set("tenant.list", { kind: "reset" }, { times: 1 });
    const reset = await failure(client(s.env).listWorkspaces());
    expect(reset.code).toBe("Transport");
    expect(reset.message).toBe("tenant platform unreachable: connection reset");

    s.faults.set("tenant.list", { kind: "blackhole" }, { times: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const cancelled = await failure(client(s.env).listWorkspaces({ signal: controller.signal }));
    expect(cancelled.code).toBe("Cancelled");
  });

  it("a refused connection is Transport without the URL", async () => {
    const s = await sim({ workspaces: 0 });
    const env = { ...s.env };
    await s.close();
    const error = await failure(client(env).listWorkspaces());
    expect(error.code).toBe("Transport");
    expect(error.message).toBe("tenant platform unreachable: connection refused");
  });

  it("malformed JSON, a non-array and an oversized answer are Decode errors", async () => {
    const s = await sim({ workspaces: 3 });
    s.faults.set("tenant.list", { kind: "malformed" }, { times: 1 });
    const malformed = await failure(client(s.env).listWorkspaces());
    expect(malformed.code).toBe("Decode");
    expect(malformed.message).toBe("list workspaces: decode: unexpected end of JSON input");

    s.faults.set("tenant.list", { kind: "oversized", bytes: 1 << 20, shape: "garbage" }, { times: 1 });
    const garbage = await failure(client(s.env).listWorkspaces());
    expect(garbage.code).toBe("Decode");
    expect(garbage.message).toBe("list workspaces: decode: invalid JSON");

    // The real 64 MiB cap: the read stops one byte past it and the sim sees the client leave.
    s.faults.set("tenant.list", { kind: "oversized", bytes: 65 << 20, shape: "json-string" }, { times: 1 });
    const huge = await failure(client(s.env).listWorkspaces());
    expect(huge.code).toBe("Decode");
    expect(huge.message).toBe("list workspaces: the answer is larger than 64 MiB");
    const record = s.state.requests().findLast((r) => r.route === "tenant.list")!;
    expect(record.bytes).toBeLessThan(66 << 20);

    const small = await failure(client(s.env, { listBodyCap: 512 }).listWorkspaces());
    expect(small.message).toBe("list workspaces: the answer is larger than 512 bytes");
  });

  it("per-workspace routes: get, restart (200, noop, 409, 404, 503), console and bootstrap-failed", async () => {
    const s = await sim({ workspaces: 0 });
    const c = client(s.env);
    const ws = s.state.addWorkspace({ status: "offline", runtime: "hermes", tier: 3 });
    expect(await c.getWorkspace(ws.id)).toMatchObject({ id: ws.id, status: "offline", runtime: "hermes", tier: 3 });

    const missing = await failure(c.getWorkspace("00000000-0000-4000-8000-000000000000"));
    expect(missing.code).toBe("NotFound");
    expect(missing.message).toBe(
      "get workspace 00000000-0000-4000-8000-000000000000: no such workspace on the tenant (404)",
    );
    const removed = s.state.addWorkspace({ status: "online" });
    s.state.setWorkspaceStatus(removed.id, "removed");
    expect(await failure(c.getWorkspace(removed.id))).toMatchObject({ code: "Gone", status: 410 });

    expect(await c.restart(ws.id)).toMatchObject({ status: "provisioning" });
    // The platform does not coalesce: a second restart while provisioning is accepted too.
    expect(await c.restart(ws.id)).toMatchObject({ status: "provisioning" });
    const external = s.state.addWorkspace({ status: "online", runtime: "external" });
    const noop = await c.restart(external.id);
    expect(noop).toMatchObject({ status: "noop", runtime: "external" });
    expect(noop.message).toMatch(/operator-driven/);
    const parent = s.state.addWorkspace({ status: "paused", name: "Research Lead" });
    const child = s.state.addWorkspace({ status: "online", parent_id: parent.id });
    const paused = await failure(c.restart(child.id));
    expect(paused.toJSON()).toEqual({
      code: "Conflict",
      message: `restart ${child.id}: the tenant refused (409): parent workspace "Research Lead" is paused — resume it first`,
      status: 409,
    });
    expect((await failure(c.restart("00000000-0000-4000-8000-000000000000"))).code).toBe("NotFound");
    s.faults.set("tenant.restart", { kind: "status", status: 503 }, { times: 1 });
    const unavailable = await failure(c.restart(ws.id));
    expect(unavailable).toMatchObject({ code: "Upstream", status: 503 });

    expect(await c.console(ws.id)).toContain("Linux version");
    s.faults.set("cp.console", { kind: "status", status: 500 }, { times: 1 });
    const bad = await failure(c.console(ws.id));
    expect(bad.toJSON()).toEqual({
      code: "Upstream",
      message: `console ${ws.id}: the tenant's control plane failed (502)`,
      status: 502,
    });

    // bootstrap-failed acts only while provisioning, so a second report changes nothing.
    const booting = s.state.addWorkspace({ status: "provisioning" });
    const tail = `${"x".repeat(20_000)}RUNTIME CRASHED`;
    expect(await c.reportBootstrapFailure(booting.id, { error: "RUNTIME CRASHED", log_tail: tail })).toEqual({
      changed: true,
    });
    expect(await c.reportBootstrapFailure(booting.id, { error: "RUNTIME CRASHED", log_tail: tail })).toEqual({
      changed: false,
    });
    expect(s.state.workspace(booting.id)?.status).toBe("failed");
    const sent = s.state.workspace(booting.id)!.last_sample_error;
    expect(sent.endsWith("RUNTIME CRASHED")).toBe(true);
    // The platform keeps at most 8 KiB; the client sends no more than that as the tail.
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(8192);
  });

  it("console on a tenant without a control plane is NoBackend", async () => {
    const s = await sim({ workspaces: 0, cp: false });
    const ws = s.state.addWorkspace({ status: "offline" });
    const error = await failure(client(s.env).console(ws.id));
    expect(error.toJSON()).toEqual({
      code: "NoBackend",
      message: `console ${ws.id}: this tenant has no control plane (501)`,
      status: 501,
    });
  });

  it("lists the latest events with their ids and payloads", async () => {
    const s = await sim({ workspaces: 5 });
    const { events, skipped } = await client(s.env).listEvents();
    expect(skipped).toBe(0);
    const truth = s.state.events().slice(0, 100);
    expect(events.map((e) => e.id).sort()).toEqual(truth.map((e) => e.id).sort());
    const first = truth[0]!;
    expect(events.find((e) => e.id === first.id)).toEqual({
      id: first.id,
      eventType: first.event_type,
      workspaceId: first.workspace_id,
      payload: first.payload,
      createdAt: first.created_at,
    });
  });
});

describe("TenantClient validation of what a tenant sends", () => {
  it("skips and counts items without a usable id; keeps wrongly typed and unknown fields", async () => {
    const items = [
      { id: "ws-1", name: "alpha", status: "quarantined", tier: 2, x: { y: [1] } },
      { name: "no id" },
      { id: "" },
      { id: 42 },
      "ws-3",
      null,
      [],
      { id: "ws-2", name: 7, tier: "2", runtime: null, parent_id: 12 },
      { id: "ws-4", status: "" },
      { id: "ws-5" },
    ];
    const server = await startLoopbackServer((_req, res) => sendJson(res, 200, items));
    cleanups.push(() => server.close());
    const c = client({ MOLECULE_TENANT_URL: server.url, MOLECULE_ORG_ID: "org-1", ADMIN_TOKEN: "t0ken-abc" });
    const { workspaces, skipped } = await c.listWorkspaces();
    expect(skipped).toBe(6);
    expect(workspaces.map((w) => w.id)).toEqual(["ws-1", "ws-2", "ws-4", "ws-5"]);
    expect(workspaces[0]).toMatchObject({ status: "quarantined", tier: 2, fields: items[0] });
    // Wrong types are not trusted as typed values (and not guessed at), but stay in `fields`.
    expect(workspaces[1]).toMatchObject({ name: null, tier: null, runtime: null, parentId: null });
    expect(workspaces[1]!.fields).toEqual(items[7]);
    expect(workspaces[2]!.status).toBe("");
    expect(workspaces[3]).toMatchObject({ name: null, status: null });
    expect(server.requests[0]!.headers.authorization).toBe("Bearer t0ken-abc");
    expect(server.requests[0]!.headers["x-molecule-org-id"]).toBe("org-1");
  });

  it("an object instead of an array is a Decode error; events without id or type are skipped", async () => {
    const server = await startLoopbackServer((req, res) =>
      req.url === "/events"
        ? sendJson(res, 200, [
            { id: "e1", event_type: "WORKSPACE_ONLINE", workspace_id: "ws-1", created_at: "2026-05-05T12:00:00Z" },
            { id: "e2" },
            { event_type: "WORKSPACE_ONLINE" },
          ])
        : sendJson(res, 200, { workspaces: [] }),
    );
    cleanups.push(() => server.close());
    const c = client({ MOLECULE_TENANT_URL: server.url, MOLECULE_ORG_ID: "org-1" });
    const error = await failure(c.listWorkspaces());
    expect(error.message).toBe("list workspaces: decode: expected a JSON array");
    const { events, skipped } = await c.listEvents();
    expect(skipped).toBe(2);
    expect(events).toEqual([
      {
        id: "e1",
        eventType: "WORKSPACE_ONLINE",
        workspaceId: "ws-1",
        payload: null,
        createdAt: "2026-05-05T12:00:00Z",
      },
    ]);
  });
});
