import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BugLog, LOG_KEEP, LOG_MAX_BYTES } from "../core/api/bug-log";
import { TOKEN_HEADER } from "../core/api/ops-client";
import type { OpsService } from "../core/api/ops-service";
import { serviceIn } from "../core/api/ops-service.testkit";
import { type BrowserHost, startBrowserHost } from "./browser-host";

const SECRET = "tenant-admin-SECRET-a1b2c3d4e5f6";

let dir: string;
let service: OpsService;
let host: BrowserHost;
let logPath: string;
let stderr: { mock: { calls: unknown[][] }; mockRestore(): void };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "host-bugs-"));
  const renderer = join(dir, "renderer");
  mkdirSync(renderer);
  writeFileSync(join(renderer, "index.html"), "<!doctype html><title>molecule-ops</title>");
  service = serviceIn(dir);
  // A bug inside the service (not an OpsError) whose message and cause quote a secret.
  const bug = () => new TypeError(`cannot read 'rows' of undefined (Bearer ${SECRET})`, { cause: new Error(SECRET) });
  vi.spyOn(service, "secrets").mockReturnValue([SECRET]);
  vi.spyOn(service, "invoke").mockImplementation(async () => {
    throw bug();
  });
  vi.spyOn(service, "exportTimeline").mockImplementation(async () => {
    throw bug();
  });
  logPath = join(dir, "logs", "molecule-ops.log");
  stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  host = await startBrowserHost({
    service,
    rendererDir: renderer,
    bugLog: new BugLog({ path: logPath, maxBytes: LOG_MAX_BYTES, keep: LOG_KEEP }),
  });
});

afterEach(async () => {
  stderr.mockRestore();
  vi.restoreAllMocks();
  await host.close();
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${host.port}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", [TOKEN_HEADER]: host.token },
    body: JSON.stringify(body),
  });
}

describe("the browser host's bug log (issue 14)", () => {
  it("answers 'internal error' and writes each bug's cause, redacted, to a private log file", async () => {
    const request = await post("/api/request/workspaces.list", {});
    expect(request.status).toBe(500);
    expect(await request.json()).toEqual({
      ok: false,
      error: { code: "Internal", message: "internal error; see the host's log" },
    });
    const exported = await post("/api/export", { format: "csv", filter: {} });
    expect(exported.status).toBe(500);

    const log = readFileSync(logPath, "utf8");
    expect(log).toMatch(
      /Z internal error in workspaces.list: TypeError: cannot read 'rows' of undefined \(Bearer \[redacted\]\)/,
    );
    expect(log).toMatch(/Z internal error in export: TypeError/);
    expect(log).toContain("caused by: Error: [redacted]");
    expect(log).not.toContain(SECRET.slice(0, 8));
    expect(statSync(logPath).mode & 0o777).toBe(0o600);

    const printed = stderr.mock.calls.map((c) => String(c[0])).join("");
    expect(printed).toContain(
      `molecule-ops serve: internal error in workspaces.list; its cause is logged in ${logPath}`,
    );
    expect(printed).not.toContain(SECRET.slice(0, 8));
  });
});
