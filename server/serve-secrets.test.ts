import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../cli/run-cli.testkit";
import { TOKEN_HEADER } from "../core/api/ops-client";
import { type Sim, startSim } from "../sim";

const SECRETS = {
  // Distinctive from their first 8 characters on: the test also searches for those prefixes.
  adminToken: "zq7Xk2Lm-tenant-5f1d2e3c4b5a69788796a5b4",
  provisionSecret: "Wv9pR4tY-provision-0a9b8c7d6e5f4a3b",
  adminApiToken: "Hj3nB8sQ-cp-admin-11223344556677889900",
};
const NEEDLES = Object.values(SECRETS).flatMap((s) => [s, s.slice(0, 8)]);

let dir: string;
let sim: Sim;
let child: ReturnType<typeof spawn>;
let base = "";
let token = "";
let logs = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "serve-secrets-"));
  sim = await startSim({
    workspaces: 6,
    secrets: SECRETS,
    timing: { pendingMs: 20, stoppingMs: 20, provisioningMs: 100 },
  });
  child = spawn(process.execPath, [BIN, "serve", "--port", "0"], {
    env: { PATH: process.env.PATH, HOME: dir, ...sim.env, MOLECULE_OPS_HOME: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c) => {
    logs += c;
  });
  child.stderr?.on("data", (c) => {
    logs += c;
  });
  const deadline = Date.now() + 60_000;
  while (!/#token=/.test(logs)) {
    if (Date.now() > deadline) throw new Error(`serve printed no URL: ${logs}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = /(http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(logs);
  base = m?.[1] ?? "";
  token = m?.[2] ?? "";
}, 90_000);

afterAll(async () => {
  child.kill("SIGINT");
  await new Promise((r) => child.once("exit", r));
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(name: string, input: unknown): Promise<string> {
  const res = await fetch(`${base}/api/request/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json", [TOKEN_HEADER]: token },
    body: JSON.stringify(input),
  });
  return res.text();
}

describe("serve keeps every configured secret to itself", () => {
  it("in responses, errors (upstream bodies that echo the secrets included), pages, logs and files", async () => {
    const bodies: string[] = [];
    bodies.push(await call("sync.run", {}));
    const list = JSON.parse(await call("workspaces.list", {}));
    const ids: string[] = list.result.rows.map((r: { id: string }) => r.id);
    // Upstream answers that echo the bearer (as a misconfigured proxy might) must not come back.
    const echo = `upstream said: Authorization: Bearer ${SECRETS.adminToken} ${SECRETS.provisionSecret}`;
    for (const route of ["cp.status", "cp.console", "cp.stop", "tenant.list", "tenant.restart"]) {
      sim.faults.set(route, { kind: "status", status: 500, body: echo });
    }
    for (const id of ids.slice(0, 3)) {
      bodies.push(await call("workspaces.get", { id }));
      bodies.push(await call("workspaces.status", { id }));
      bodies.push(await call("console.read", { id }));
      bodies.push(await call("restart.start", { id, via: "tenant" }));
    }
    bodies.push(await call("sync.run", {}));
    bodies.push(await call("profiles.list", {}));
    bodies.push(await call("profiles.test", { name: "environment" }));
    bodies.push(await call("app.info", {}));
    bodies.push(await call("timeline.list", { filter: {} }));
    bodies.push(await (await fetch(`${base}/`)).text());
    const exported = await fetch(`${base}/api/export`, {
      method: "POST",
      headers: { "content-type": "application/json", [TOKEN_HEADER]: token },
      body: JSON.stringify({ filter: {}, format: "jsonl" }),
    });
    bodies.push(await exported.text());
    sim.faults.clear();

    // Something failed with the echoing body (so the test exercised the error paths).
    expect(bodies.join("\n")).toMatch(/"ok":false/);
    const files = walk(dir).map((f) => readFileSync(f).toString("latin1"));
    for (const needle of NEEDLES) {
      for (const body of bodies) expect(body).not.toContain(needle);
      expect(logs).not.toContain(needle);
      for (const f of files) expect(f).not.toContain(needle);
    }
  }, 60_000);
});

function walk(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
