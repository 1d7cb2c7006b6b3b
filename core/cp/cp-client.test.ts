import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CpConfig, readCpConfig } from "../config/cp-config";
import { Store } from "../store/store";
import { failure } from "../testing/failure";
import { type LoopbackServer, sendJson, startLoopbackServer, streamBody } from "../testing/loopback-server";
import { CpClient } from "./cp-client";

const SECRET = "prov-secret-7f3a9c2e41";
const ADMIN = "tenant-admin-5d81b0c6aa";
const ADMIN_API = "cp-admin-api-93e7d21f0b";
const WS = "3f1c2a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f";
const INSTANCE = "i-0123456789abcdef0";

let dir: string;
let store: Store;
let server: LoopbackServer | undefined;
let client: CpClient | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cp-client-"));
  store = Store.open(join(dir, "cache.db"));
});

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(overrides: Partial<CpConfig> = {}): CpConfig {
  return {
    orgId: "org-1",
    baseUrl: server!.url,
    provisionSecret: SECRET,
    adminToken: ADMIN,
    adminApiToken: ADMIN_API,
    ...overrides,
  };
}

async function serve(
  handler: Parameters<typeof startLoopbackServer>[0],
  cfg: Partial<CpConfig> = {},
  timeoutMs?: number,
) {
  server = await startLoopbackServer(handler);
  client = new CpClient(config(cfg), { ledger: store, ...(timeoutMs ? { timeoutMs } : {}) });
  return client;
}

/** A CP whose 2xx answer sends its headers and `start` of its JSON body, then never ends. */
function serveStalled(start: string, timeoutMs: number) {
  return serve(
    (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(start);
    },
    {},
    timeoutMs,
  );
}

function bind(instanceId = INSTANCE) {
  store.bindings.bind(WS, instanceId, "start", "running", Date.now());
}

/** What IsRunning answers with no instance on file for WS: not running, and no error. */
const NOTHING_ON_FILE = { workspaceId: WS, instanceId: null, running: false, state: null, error: null };

const startReq = { workspaceId: WS, runtime: "langgraph", tier: 2, platformUrl: "http://tenant.example" };

describe("configuration from the environment (docs/contracts.md §2)", () => {
  it("requires MOLECULE_ORG_ID and names it", () => {
    expect(() => readCpConfig({})).toThrowError(/MOLECULE_ORG_ID/);
    expect(() => readCpConfig({ MOLECULE_ORG_ID: "" })).toThrowError(/MOLECULE_ORG_ID/);
  });

  it("defaults the URL and falls back CP_PROVISION_URL → MOLECULE_CP_URL", () => {
    expect(readCpConfig({ MOLECULE_ORG_ID: "o" }).baseUrl).toBe("https://api.moleculesai.app");
    expect(readCpConfig({ MOLECULE_ORG_ID: "o", MOLECULE_CP_URL: "http://b.test/" }).baseUrl).toBe("http://b.test");
    expect(
      readCpConfig({ MOLECULE_ORG_ID: "o", CP_PROVISION_URL: "http://a.test", MOLECULE_CP_URL: "http://b.test" })
        .baseUrl,
    ).toBe("http://a.test");
    expect(readCpConfig({ MOLECULE_ORG_ID: "o", CP_PROVISION_URL: "", MOLECULE_CP_URL: "http://b.test" }).baseUrl).toBe(
      "http://b.test",
    );
  });

  it("falls back MOLECULE_CP_SHARED_SECRET → PROVISION_SHARED_SECRET, and the admin secret to the provision secret", () => {
    const a = readCpConfig({ MOLECULE_ORG_ID: "o", PROVISION_SHARED_SECRET: "p2" });
    expect(a.provisionSecret).toBe("p2");
    expect(a.adminApiToken).toBe("p2");
    const b = readCpConfig({
      MOLECULE_ORG_ID: "o",
      MOLECULE_CP_SHARED_SECRET: "p1",
      PROVISION_SHARED_SECRET: "p2",
      CP_ADMIN_API_TOKEN: "adm",
      ADMIN_TOKEN: "tok",
    });
    expect(b).toMatchObject({ provisionSecret: "p1", adminApiToken: "adm", adminToken: "tok" });
    expect(readCpConfig({ MOLECULE_ORG_ID: "o" })).toMatchObject({
      provisionSecret: "",
      adminApiToken: "",
      adminToken: "",
    });
  });

  it("rejects a URL that is not http(s) or carries credentials, without echoing it", () => {
    expect(() => readCpConfig({ MOLECULE_ORG_ID: "o", CP_PROVISION_URL: "ftp://x" })).toThrowError(/http\(s\)/);
    let message = "";
    try {
      readCpConfig({ MOLECULE_ORG_ID: "o", CP_PROVISION_URL: "https://user:hunter2pass@x.test" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/credentials/);
    expect(message).not.toContain("hunter2pass");
  });
});

describe("headers", () => {
  const ok = (_req: unknown, res: import("node:http").ServerResponse) =>
    sendJson(res, 200, { state: "running", output: "x" });

  it("provision routes carry the provision secret and the tenant admin token", async () => {
    const c = await serve((req, res) =>
      req.method === "POST" ? sendJson(res, 201, { instance_id: INSTANCE, state: "pending" }) : ok(req, res),
    );
    await c.start(startReq);
    await c.isRunning(WS);
    await c.stop(WS);
    expect(server!.requests).toHaveLength(3);
    for (const r of server!.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(r.headers["x-molecule-admin-token"]).toBe(ADMIN);
    }
  });

  it("admin routes carry CP_ADMIN_API_TOKEN, not the provision secret", async () => {
    const c = await serve(ok);
    await c.console(WS);
    expect(server!.requests[0]!.path).toBe(`/cp/admin/workspaces/${WS}/console`);
    expect(server!.requests[0]!.headers.authorization).toBe(`Bearer ${ADMIN_API}`);
    expect(server!.requests[0]!.headers["x-molecule-admin-token"]).toBe(ADMIN);
  });

  it("admin routes fall back to the provision secret when CP_ADMIN_API_TOKEN is unset", async () => {
    server = await startLoopbackServer(ok);
    const cfg = readCpConfig({ MOLECULE_ORG_ID: "o", CP_PROVISION_URL: server.url, MOLECULE_CP_SHARED_SECRET: SECRET });
    client = new CpClient(cfg, { ledger: store });
    await client.console(WS);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it("omits a header whose value is empty", async () => {
    const c = await serve(ok, { provisionSecret: "", adminToken: "", adminApiToken: "" });
    bind();
    await c.isRunning(WS);
    await c.console(WS);
    for (const r of server!.requests) {
      expect(r.headers).not.toHaveProperty("authorization");
      expect(r.headers).not.toHaveProperty("x-molecule-admin-token");
    }
  });

  it("sends only the admin token when the secret is empty (transition window)", async () => {
    const c = await serve(ok, { provisionSecret: "" });
    bind();
    await c.isRunning(WS);
    expect(server!.requests[0]!.headers).not.toHaveProperty("authorization");
    expect(server!.requests[0]!.headers["x-molecule-admin-token"]).toBe(ADMIN);
  });
});

describe("Start", () => {
  it("sends the provision request and on 201 records the mapping and provision.ec2_started", async () => {
    const c = await serve((_req, res) =>
      sendJson(res, 201, { instance_id: INSTANCE, private_ip: "10.0.0.9", state: "pending", error: "" }),
    );
    const result = await c.start({ ...startReq, env: { A: "1" } });
    expect(result).toEqual({ instanceId: INSTANCE, state: "pending", privateIp: "10.0.0.9" });
    const sent = server!.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe("/cp/workspaces/provision");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent.body)).toEqual({
      org_id: "org-1",
      workspace_id: WS,
      runtime: "langgraph",
      tier: 2,
      platform_url: "http://tenant.example",
      env: { A: "1" },
    });
    expect(store.resolveInstanceId(WS)).toBe(INSTANCE);
    const events = [...store.timeline({ workspaceId: WS })];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: "provision.ec2_started", instance_id: INSTANCE, source: "console" });
    expect(JSON.parse(events[0]!.fields)).toEqual({
      workspace_id: WS,
      instance_id: INSTANCE,
      state: "pending",
      tier: 2,
      runtime: "langgraph",
    });
  });

  it.each([200, 202])("treats %i as failure: only 201 is success", async (status) => {
    const c = await serve((_req, res) => sendJson(res, status, { instance_id: INSTANCE, state: "pending" }));
    await expect(c.start(startReq)).rejects.toThrowError(`provision failed (${status}): <unstructured body,`);
    expect(store.resolveInstanceId(WS)).toBeNull();
    expect([...store.timeline({ workspaceId: WS })]).toHaveLength(0);
  });

  it("reports the structured error field", async () => {
    const c = await serve((_req, res) => sendJson(res, 503, { error: "ec2 capacity exhausted" }));
    await expect(c.start(startReq)).rejects.toMatchObject({
      code: "Upstream",
      status: 503,
      message: "provision failed (503): ec2 capacity exhausted",
    });
  });

  it("never echoes an unstructured body, only its size", async () => {
    const body = `upstream echoed Authorization: Bearer ${SECRET} and X-Molecule-Admin-Token: ${ADMIN}`;
    const c = await serve((_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(body);
    });
    const err = await failure(c.start(startReq));
    expect(err.message).toBe(`provision failed (500): <unstructured body, ${Buffer.byteLength(body)} bytes>`);
    expect(err.message).not.toContain(SECRET.slice(0, 8));
  });

  it("scrubs secrets and terminal escapes from a structured error field", async () => {
    const c = await serve((_req, res) => sendJson(res, 400, { error: `bad token ${SECRET}\u001b[31m red` }));
    const err = await failure(c.start(startReq));
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain("\u001b");
    expect(err.message).toContain("[redacted]");
  });

  it("scrubs a secret carried base64-encoded (standard and URL-safe) or URL-encoded in the error field", async () => {
    for (const encoded of [
      Buffer.from(`admin:${ADMIN}`).toString("base64"),
      Buffer.from(`x${SECRET}`).toString("base64url"),
      encodeURIComponent(`${ADMIN_API}&`),
    ]) {
      const c = await serve((_req, res) => sendJson(res, 500, { error: `echo ${encoded} end` }));
      const err = await failure(c.start(startReq));
      expect(err.message, encoded).toMatch(/\[redacted\]/);
      expect(err.message).not.toContain(encoded.slice(4, 16));
      await c.close();
      await server?.close();
    }
    client = undefined;
    server = undefined;
  });

  it("reads at most 64 KiB of a 50 MB answer, quickly and without pulling the rest", async () => {
    const chunk = Buffer.alloc(64 << 10, "x");
    const c = await serve((_req, res) => streamBody(res, 500, 50 << 20, () => chunk));
    const err = await failure(c.start(startReq));
    expect(err.message).toBe("provision failed (500): <unstructured body, 65536 bytes>");
    await new Promise((r) => setTimeout(r, 50));
    expect(server!.bytesWritten()).toBeLessThan(16 << 20);
  });

  it.each([
    ["the workspace's UUID", WS, WS],
    ["an empty id", "", "(empty instance_id)"],
  ])(
    "a 201 with %s is a machine the CP created: recorded, flagged, named in the error",
    async (_what, given, bound) => {
      const c = await serve((_req, res) => sendJson(res, 201, { instance_id: given, state: "pending" }));
      const err = await failure(c.start(startReq));
      expect(err).toMatchObject({ code: "Decode", status: 201 });
      expect(err.message).toContain(`instance_id "${bound}"`);
      expect(err.message).toMatch(/recorded as a malformed binding/);
      // On file as it is: the doctor shows the malformed binding; Stop refuses to send it.
      expect(store.resolveInstanceId(WS)).toBe(bound);
      const ev = [...store.timeline({ workspaceId: WS })].at(-1)!;
      expect(ev.event).toBe("provision.ec2_started");
      expect(JSON.parse(ev.fields)).toMatchObject({ instance_id: bound, malformed_instance_id: true });
      await expect(c.stop(WS)).rejects.toMatchObject({ code: "Input" });
    },
  );
});

describe("Stop", () => {
  it("resolves the EC2 id from the store, never the workspace UUID, and records provision.ec2_stopped", async () => {
    const c = await serve((_req, res) => sendJson(res, 200, { state: "stopping" }));
    bind();
    expect(await c.stop(WS)).toEqual({ instanceId: INSTANCE });
    const r = server!.requests[0]!;
    expect(r.method).toBe("DELETE");
    expect(r.path).toBe(`/cp/workspaces/${WS}?instance_id=${INSTANCE}`);
    expect(store.resolveInstanceId(WS)).toBeNull();
    expect(store.bindings.historyOf(WS)[0]!.unboundAt).not.toBeNull();
    const ev = [...store.timeline({ workspaceId: WS })].at(-1)!;
    expect(ev.event).toBe("provision.ec2_stopped");
    expect(JSON.parse(ev.fields)).toEqual({ workspace_id: WS, instance_id: INSTANCE });
  });

  it("refuses a binding that is not an EC2 id without any HTTP call, and IsRunning stays uncertain", async () => {
    const c = await serve((_req, res) => sendJson(res, 200, { state: "stopping" }));
    bind(WS);
    await expect(c.stop(WS)).rejects.toMatchObject({ code: "Input", message: expect.stringMatching(/not an EC2 id/) });
    const r = await c.isRunning(WS);
    expect(r).toMatchObject({ running: true, error: { code: "Input" } });
    expect(server!.requests).toHaveLength(0);
    expect(store.resolveInstanceId(WS)).toBe(WS);
  });

  it("makes no HTTP call when no instance is on file", async () => {
    const c = await serve((_req, res) => sendJson(res, 500, {}));
    expect(await c.stop(WS)).toEqual({ instanceId: null });
    expect(server!.requests).toHaveLength(0);
  });

  it.each([200, 202, 204])("accepts %i", async (status) => {
    const c = await serve((_req, res) => {
      res.writeHead(status);
      res.end();
    });
    bind();
    await expect(c.stop(WS)).resolves.toEqual({ instanceId: INSTANCE });
  });

  it.each([400, 404, 500, 503])(
    "fails on %i naming the workspace, the status and the trimmed body; mapping intact",
    async (status) => {
      const c = await serve((_req, res) => {
        res.writeHead(status);
        res.end("  InvalidInstanceID.NotFound \n");
      });
      bind();
      await expect(c.stop(WS)).rejects.toThrowError(`stop ${WS}: unexpected ${status}: InvalidInstanceID.NotFound`);
      expect(store.resolveInstanceId(WS)).toBe(INSTANCE);
      // The failure is on the timeline, so the doctor finds the instance that may still run.
      const events = [...store.timeline({ workspaceId: WS })];
      expect(events.map((e) => e.event)).toEqual(["provision.ec2_stop_failed"]);
      expect(JSON.parse(events[0]!.fields)).toEqual({
        workspace_id: WS,
        instance_id: INSTANCE,
        status,
        error: `stop ${WS}: unexpected ${status}: InvalidInstanceID.NotFound`,
      });
    },
  );

  it("cuts the body excerpt at 512 bytes and scrubs secrets from it", async () => {
    const c = await serve((_req, res) => {
      res.writeHead(502);
      res.end(`Bearer ${SECRET} ${"y".repeat(4000)}`);
    });
    bind();
    const err = await failure(c.stop(WS));
    expect(err.message).not.toContain(SECRET);
    const excerpt = err.message.slice(`stop ${WS}: unexpected 502: `.length);
    expect(excerpt.endsWith("y…")).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(512 + 1);
  });

  it("redacts first and cuts after: a secret straddling byte 512 leaves not even its start", async () => {
    // A Go-style header dump: the admin token begins a few bytes before the 512-byte cut.
    const head = `upstream error; request headers: ${"h".repeat(512 - 40)} X-Molecule-Admin-Token:[`;
    const c = await serve((_req, res) => {
      res.writeHead(500);
      res.end(`${head}${ADMIN}] Authorization:[Bearer ${SECRET}]`);
    });
    bind();
    const err = await failure(c.stop(WS));
    for (const leak of [ADMIN, ADMIN.slice(0, 8), SECRET, SECRET.slice(0, 8)]) expect(err.message).not.toContain(leak);
    const recorded = [...store.timeline({ workspaceId: WS })].map((e) => e.fields).join("");
    for (const leak of [ADMIN.slice(0, 8), SECRET.slice(0, 8)]) expect(recorded).not.toContain(leak);
  });

  it("a 2xx whose body stalls after the headers is a Stop done, at once, not a failure at the deadline", async () => {
    const c = await serveStalled('{"state":"stop', 5000);
    bind();
    const t0 = performance.now();
    expect(await c.stop(WS)).toEqual({ instanceId: INSTANCE });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect([...store.timeline({ workspaceId: WS })].map((e) => e.event)).toEqual(["provision.ec2_stopped"]);
  });

  it("a Stop with no answer (reset) is recorded as failed with no status", async () => {
    const c = await serve((req) => {
      req.socket.destroy();
    });
    bind();
    await expect(c.stop(WS)).rejects.toMatchObject({ code: "Transport" });
    const [ev] = [...store.timeline({ workspaceId: WS })];
    expect(ev?.event).toBe("provision.ec2_stop_failed");
    expect(JSON.parse(ev?.fields ?? "{}")).toMatchObject({ instance_id: INSTANCE, status: null });
  });
});

describe("deadlines", () => {
  it("is 120 s per request unless configured", () => {
    const cfg = {
      orgId: "org-1",
      baseUrl: "http://127.0.0.1:9",
      provisionSecret: SECRET,
      adminToken: ADMIN,
      adminApiToken: "",
    };
    expect(new CpClient(cfg, { ledger: store }).timeoutMs).toBe(120_000);
  });

  it("covers a body that stalls after the headers: IsRunning ends uncertain at the deadline", async () => {
    const c = await serveStalled('{"state":"runn', 400);
    bind();
    const t0 = performance.now();
    const r = await c.isRunning(WS);
    expect(r).toMatchObject({ running: true, error: { code: "Timeout" } });
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe("IsRunning", () => {
  it("uses an instance the caller already read from the store, and still refuses a non-EC2 one", async () => {
    const c = await serve((_req, res) => sendJson(res, 200, { state: "running" }));
    // Nothing bound in the store: the pre-resolved instance is what is asked about.
    expect(await c.isRunning(WS, { instanceId: INSTANCE })).toMatchObject({
      instanceId: INSTANCE,
      running: true,
      error: null,
    });
    expect(server!.requests[0]!.path).toBe(`/cp/workspaces/${WS}/status?instance_id=${INSTANCE}`);
    expect(await c.isRunning(WS, { instanceId: null })).toMatchObject({
      instanceId: null,
      running: false,
      error: null,
    });
    const bad = await c.isRunning(WS, { instanceId: WS });
    expect(bad).toMatchObject({ running: true, error: { code: "Input" } });
    expect(server!.requests).toHaveLength(1);
  });

  it.each([
    ["running", true],
    ["pending", false],
    ["stopping", false],
    ["terminated", false],
  ])("2xx state %s → running=%s, no error", async (state, running) => {
    const c = await serve((_req, res) => sendJson(res, 200, { state }));
    bind();
    expect(await c.isRunning(WS)).toEqual({ workspaceId: WS, instanceId: INSTANCE, running, state, error: null });
    expect(server!.requests[0]!.path).toBe(`/cp/workspaces/${WS}/status?instance_id=${INSTANCE}`);
  });

  it("no instance on file → (false, no error) and no HTTP call", async () => {
    const c = await serve((_req, res) => sendJson(res, 200, { state: "running" }));
    expect(await c.isRunning(WS)).toEqual(NOTHING_ON_FILE);
    expect(server!.requests).toHaveLength(0);
  });

  it.each([401, 404, 500, 502, 503])("non-2xx %i → (true, error) without the body", async (status) => {
    const c = await serve((_req, res) => {
      res.writeHead(status);
      res.end(`echo: Authorization: Bearer ${SECRET}`);
    });
    bind();
    const r = await c.isRunning(WS);
    expect(r.running).toBe(true);
    expect(r.error?.message).toBe(`status: unexpected ${status}`);
    expect(r.error?.status).toBe(status);
  });

  it("transport error → (true, error)", async () => {
    server = await startLoopbackServer(() => {});
    const url = server.url;
    await server.close();
    server = undefined;
    client = new CpClient({ ...configAt(url) }, { ledger: store });
    bind();
    const r = await client.isRunning(WS);
    expect(r.running).toBe(true);
    expect(r.error).toMatchObject({ code: "Transport", message: "control plane unreachable: connection refused" });
  });

  it("a connection reset → (true, error)", async () => {
    const c = await serve((req) => {
      req.socket.destroy();
    });
    bind();
    const r = await c.isRunning(WS);
    expect(r.running).toBe(true);
    expect(r.error?.code).toBe("Transport");
  });

  it.each([
    ["truncated JSON", '{"state":"runn'],
    ["not JSON", "<html>502 Bad Gateway</html>"],
    ["empty body", ""],
    ["no state", "{}"],
    ["state not text", '{"state":1}'],
  ])("malformed 2xx (%s) → (true, decode error)", async (_name, body) => {
    const c = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    });
    bind();
    const r = await c.isRunning(WS);
    expect(r.running).toBe(true);
    expect(r.error?.code).toBe("Decode");
  });

  it("store error → (true, error)", async () => {
    const c = await serve((_req, res) => sendJson(res, 200, { state: "stopped" }));
    bind();
    store.db.close();
    const r = await c.isRunning(WS);
    expect(r.running).toBe(true);
    expect(r.error?.code).toBe("Store");
    expect(server!.requests).toHaveLength(0);
  });

  it("decodes the JSON prefix of a body padded past the 64 KiB cap", async () => {
    const c = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"state":"running"}${" ".repeat(100 << 10)}`);
    });
    bind();
    expect(await c.isRunning(WS)).toMatchObject({ running: true, error: null });
  });

  it("a 50 MB answer is a decode error, bounded in time and bytes", async () => {
    const open = Buffer.from('{"state":"running","pad":"');
    const pad = Buffer.alloc(64 << 10, "a");
    const c = await serve((_req, res) => streamBody(res, 200, 50 << 20, (off) => (off === 0 ? open : pad)));
    bind();
    const r = await c.isRunning(WS);
    expect(r).toMatchObject({ running: true });
    expect(r.error?.code).toBe("Decode");
    await new Promise((res) => setTimeout(res, 50));
    expect(server!.bytesWritten()).toBeLessThan(16 << 20);
  });
});

describe("Console", () => {
  it("returns the output", async () => {
    const c = await serve((_req, res) => sendJson(res, 200, { output: "cloud-init ok\nRUNTIME CRASHED\n" }));
    expect(await c.console(WS)).toBe("cloud-init ok\nRUNTIME CRASHED\n");
  });

  it("non-2xx → `console: unexpected <status>` with no body", async () => {
    const c = await serve((_req, res) => {
      res.writeHead(401);
      res.end(`bad bearer ${ADMIN_API}`);
    });
    await expect(c.console(WS)).rejects.toMatchObject({ message: "console: unexpected 401", status: 401 });
  });

  it("accepts 200 KiB of output and refuses a body past 256 KiB as a decode error", async () => {
    let size = 200 << 10;
    const c = await serve((_req, res) => sendJson(res, 200, { output: "z".repeat(size) }));
    expect((await c.console(WS)).length).toBe(200 << 10);
    size = 300 << 10;
    await expect(c.console(WS)).rejects.toMatchObject({ code: "Decode" });
  });
});

describe("deadlines and cancellation", () => {
  it("a black-holed request ends at the configured timeout; IsRunning stays uncertain", async () => {
    const c = await serve(() => {}, {}, 300);
    bind();
    const t0 = Date.now();
    const r = await c.isRunning(WS);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.running).toBe(true);
    expect(r.error?.code).toBe("Timeout");
    await expect(c.start(startReq)).rejects.toMatchObject({ code: "Timeout" });
  });

  it("an AbortSignal cancels a request in flight", async () => {
    const c = await serve(() => {});
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const t0 = Date.now();
    await expect(c.console(WS, { signal: abort.signal })).rejects.toMatchObject({ code: "Cancelled" });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("an already-aborted signal sends nothing that completes, and Stop keeps the mapping", async () => {
    const c = await serve((_req, res) => sendJson(res, 200, {}));
    bind();
    await expect(c.stop(WS, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: "Cancelled" });
    expect(store.resolveInstanceId(WS)).toBe(INSTANCE);
  });
});

describe("a client without a backend", () => {
  it("answers NoBackend instead of throwing anything else, and needs no HTTP when nothing is on file", async () => {
    const c = new CpClient(null, { ledger: store });
    client = c;
    await expect(c.start(startReq)).rejects.toMatchObject({ code: "NoBackend" });
    await expect(c.console(WS)).rejects.toMatchObject({ code: "NoBackend" });
    expect(await c.stop(WS)).toEqual({ instanceId: null });
    expect(await c.isRunning(WS)).toEqual(NOTHING_ON_FILE);
    bind();
    const r = await c.isRunning(WS);
    expect(r.error?.code).toBe("NoBackend");
    await expect(c.stop(WS)).rejects.toMatchObject({ code: "NoBackend" });
    expect(store.resolveInstanceId(WS)).toBe(INSTANCE);
  });
});

function configAt(url: string): CpConfig {
  return { orgId: "org-1", baseUrl: url, provisionSecret: SECRET, adminToken: ADMIN, adminApiToken: ADMIN_API };
}
