import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TOKEN_HEADER } from "../core/api/ops-client";
import { OpsService } from "../core/api/ops-service";
import { FileCredentials } from "../core/config/file-credentials";
import { ProfileStore } from "../core/config/profile-store";
import { type Sim, startSim } from "../sim";
import { type BrowserHost, startBrowserHost } from "./browser-host";

const SECRETS = {
  adminToken: "tenant-admin-SECRET-a1b2c3d4e5f6",
  provisionSecret: "provision-SECRET-0f9e8d7c6b5a",
  adminApiToken: "cp-admin-SECRET-99887766554433",
};
const SECRET_VALUES = Object.values(SECRETS);

let dir: string;
let sim: Sim;
let service: OpsService;
let host: BrowserHost;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "host-"));
  sim = await startSim({
    workspaces: 0,
    secrets: SECRETS,
    timing: { pendingMs: 20, stoppingMs: 20, provisioningMs: 100 },
  });
  sim.state.addWorkspace({ status: "online", name: "alpha" });
  sim.state.addWorkspace({ status: "degraded", name: "beta" });
  const renderer = join(dir, "renderer");
  mkdirSync(renderer);
  writeFileSync(join(renderer, "index.html"), "<!doctype html><title>molecule-ops</title>");
  writeFileSync(join(dir, "outside.html"), "outside");
  service = new OpsService({
    profiles: new ProfileStore(join(dir, "profiles.json")),
    credentials: new FileCredentials(join(dir, "credentials.json")),
    env: { ...sim.env, MOLECULE_OPS_HOME: dir },
    host: "browser",
    version: "test",
  });
  host = await startBrowserHost({ service, rendererDir: renderer });
});

afterEach(async () => {
  await host.close();
  await service.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request, so Host and Origin can be set to anything (fetch would not allow it). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: host.port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function api(name: string, input: unknown, extra: Record<string, string> = {}) {
  return raw(
    "POST",
    `/api/request/${name}`,
    { "content-type": "application/json", [TOKEN_HEADER]: host.token, ...extra },
    JSON.stringify(input),
  );
}

describe("browser host", () => {
  it("serves the API with the token and the list carries no secret", async () => {
    await api("sync.run", {});
    const r = await api("workspaces.list", {});
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.ok).toBe(true);
    expect(body.result.rows.map((w: { name: string }) => w.name).sort()).toEqual(["alpha", "beta"]);
    for (const s of SECRET_VALUES) {
      expect(r.body).not.toContain(s);
      expect(r.body).not.toContain(s.slice(0, 8));
    }
  });

  it("refuses API calls without the token, or with a wrong one", async () => {
    const none = await raw("POST", "/api/request/workspaces.list", { "content-type": "application/json" }, "{}");
    expect(none.status).toBe(401);
    const wrong = await api("workspaces.list", {}, { [TOKEN_HEADER]: `${host.token}x` });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).error.code).toBe("Unauthorized");
  });

  it("refuses a foreign Host (DNS rebinding) on every route, and a foreign Origin on the API", async () => {
    for (const path of ["/", "/api/request/workspaces.list"]) {
      const r = await raw("GET", path, { host: `evil.example:${host.port}` });
      expect(r.status).toBe(421);
    }
    const r = await raw("GET", "/", { host: `127.0.0.1:${host.port + 1}` });
    expect(r.status).toBe(421);
    const cross = await api("workspaces.list", {}, { origin: "http://evil.example" });
    expect(cross.status).toBe(403);
    const site = await api("workspaces.list", {}, { "sec-fetch-site": "cross-site" });
    expect(site.status).toBe(403);
    const same = await api(
      "workspaces.list",
      {},
      { origin: `http://127.0.0.1:${host.port}`, "sec-fetch-site": "same-origin" },
    );
    expect(same.status).toBe(200);
  });

  it("answers a bad percent-escape in an API path with 400, not an internal error", async () => {
    for (const path of ["/api/request/%E0%A4%A", "/api/subscribe/%ZZlive"]) {
      const r = await raw(
        path.includes("subscribe") ? "GET" : "POST",
        path,
        {
          "content-type": "application/json",
          [TOKEN_HEADER]: host.token,
        },
        "{}",
      );
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.body).error.code).toBe("Input");
    }
  });

  it("refuses invalid input with a clear Input error, and a form-encoded body", async () => {
    const bad = await api("workspaces.get", { id: "../../etc/passwd" });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: "Input" });
    const extra = await api("workspaces.list", { text: "a", sneaky: true });
    expect(JSON.parse(extra.body).error.message).toMatch(/sneaky|Unrecognized/);
    const unknown = await api("no.such.request", {});
    expect(unknown.status).toBe(404);
    const form = await raw("POST", "/api/request/workspaces.list", {
      "content-type": "application/x-www-form-urlencoded",
      [TOKEN_HEADER]: host.token,
    });
    expect(form.status).toBe(400);
    const notJson = await raw(
      "POST",
      "/api/request/workspaces.list",
      {
        "content-type": "application/json",
        [TOKEN_HEADER]: host.token,
      },
      "{nope",
    );
    expect(notJson.status).toBe(400);
  });

  it("puts the CSP and hardening headers on pages and never serves files outside the renderer", async () => {
    const page = await raw("GET", "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    for (const path of ["/../outside.html", "/%2e%2e/outside.html", "/..%2Foutside.html", "/%00index.html"]) {
      const r = await raw("GET", path);
      expect(r.status).toBe(404);
      expect(r.body).not.toContain("outside");
    }
  });

  it("streams the live subscription as server-sent events", async () => {
    const ws = sim.state.addWorkspace({ status: "online", name: "gamma" });
    await api("sync.run", {});
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${host.port}/api/subscribe/live`, {
      headers: { [TOKEN_HEADER]: host.token },
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    const deadline = Date.now() + 8000;
    let changed = false;
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString("utf8");
      if (!changed && text.includes('"feed":"open"')) {
        changed = true;
        sim.state.setWorkspaceStatus(ws.id, "offline");
      }
      if (text.includes(`"workspace_id":"${ws.id}"`) && text.includes('"status":"offline"')) break;
    }
    controller.abort();
    expect(text).toContain('"status":"offline"');
    for (const s of SECRET_VALUES) expect(text).not.toContain(s.slice(0, 8));
  });

  it("exports the timeline as a CSV download", async () => {
    await api("sync.run", {});
    const r = await raw(
      "POST",
      "/api/export",
      { "content-type": "application/json", [TOKEN_HEADER]: host.token },
      JSON.stringify({ filter: {}, format: "csv" }),
    );
    expect(r.status).toBe(200);
    expect(r.headers["content-disposition"]).toMatch(/^attachment; filename="timeline-.*\.csv"$/);
    expect(r.body.startsWith("ts,event,workspace_id,instance_id,source,fields\r\n")).toBe(true);
    // The platform's own log lines, as a .log file import-log reads back.
    const provlog = await raw(
      "POST",
      "/api/export",
      { "content-type": "application/json", [TOKEN_HEADER]: host.token },
      JSON.stringify({ filter: {}, format: "provlog" }),
    );
    expect(provlog.status).toBe(200);
    expect(provlog.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(provlog.headers["content-disposition"]).toMatch(/^attachment; filename="timeline-.*\.log"$/);
    for (const line of provlog.body.split("\n").filter(Boolean)) expect(line).toMatch(/^(\S+ \S+ )?evt: \S+ \{/);
    const bad = await raw(
      "POST",
      "/api/export",
      { "content-type": "application/json", [TOKEN_HEADER]: host.token },
      JSON.stringify({ filter: {}, format: "xlsx" }),
    );
    expect(bad.status).toBe(400);
  });

  it("runs the doctor and refuses an action on a finding that is not there", async () => {
    await api("sync.run", {});
    const r = await api("doctor.run", {});
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, result: { findings: [], workspaces: 2, tenant: "ok" } });
    const act = await api("doctor.act", { finding: "0123456789" });
    expect(act.status).toBe(404);
    const bad = await api("doctor.act", { finding: "; rm -rf /" });
    expect(bad.status).toBe(400);
  });

  it("imports an uploaded provlog and reports it", async () => {
    const log = [
      '2026/05/05 12:30:11 evt: provision.start {"workspace_id":"w1","sync":true}',
      "GET /healthz 200",
      '2026/05/05 12:30:12 evt: provision.ec2_started {"workspace_id":"w1","instance_id":"i-0123456789abcdef0"}',
      '2026/05/05 12:30:13 evt: provision.start {"workspace_id":',
    ].join("\n");
    const r = await raw(
      "POST",
      "/api/import?name=x.log",
      { "content-type": "application/octet-stream", [TOKEN_HEADER]: host.token },
      log,
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).result).toMatchObject({ lines: 4, events: 2, skipped: 1, malformed: 1 });
  });

  it("answers an upload with the API's report view, as the desktop app does: counts, not the parser's internals", async () => {
    const r = await raw(
      "POST",
      "/api/import?name=x.log",
      { "content-type": "application/octet-stream", [TOKEN_HEADER]: host.token },
      '2026/05/05 12:30:11 evt: provision.start {"workspace_id":"w1","sync":true}\n',
    );
    expect(r.status).toBe(200);
    expect(Object.keys(JSON.parse(r.body).result).sort()).toEqual([
      "added",
      "bindings",
      "duplicates",
      "events",
      "first_malformed",
      "lines",
      "malformed",
      "skipped",
      "workspaces",
    ]);
  });
});
