/**
 * Security is a feature: with distinctive secrets configured, every command runs (happy paths
 * and, with upstream answers that echo the secrets back, failure paths) and nothing it prints,
 * logs, stores or exports holds a secret or its first 8 characters.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../sim";
import { BIN, type CliResult, runCli } from "./run-cli.testkit";

const SECRETS = {
  adminToken: "Qx7wKp2Z-admin-token-9f8e7d6c5b4a3928",
  provisionSecret: "Vb4nMt8R-provision-1a2b3c4d5e6f7081",
  adminApiToken: "Jd6sLc3H-cp-admin-0f1e2d3c4b5a6978",
};
const NEEDLES = Object.values(SECRETS).flatMap((s) => [s, s.slice(0, 8)]);
const ECHO = `echo: Authorization: Bearer ${SECRETS.provisionSecret} X-Molecule-Admin-Token: ${SECRETS.adminToken} ${SECRETS.adminApiToken}`;
/**
 * The emulator's clock starts at a fixed date (the log imported below is dated by hand, half an
 * hour before it): nothing here depends on the day the test runs.
 */
const START_AT = Date.parse("2026-05-05T13:00:00.000Z");
const IMPORTED_LINE_AT = "2026/05/05 12:30:11";

let dir: string;
let simDir: string;
let simLog: string;
let sim: Sim;
let env: Record<string, string>;
const outputs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "secrets-"));
  // The tenant's own server log is the tenant's file, not ours: kept out of the folder searched below.
  simDir = mkdtempSync(join(tmpdir(), "secrets-tenant-"));
  simLog = join(simDir, "server.log");
  sim = await startSim({
    workspaces: 8,
    secrets: SECRETS,
    startAt: START_AT,
    logFile: simLog,
    crashRatio: 0,
    // Heartbeats and chat on the feed, so watch sees the traffic of a real tenant.
    timing: { pendingMs: 20, stoppingMs: 20, provisioningMs: 150, stopRetryMs: 20, heartbeatMs: 200, chatMs: 300 },
  });
  env = { ...sim.env, MOLECULE_OPS_HOME: dir, MOLECULE_OPS_DB: join(dir, "cache.db") };
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(simDir, { recursive: true, force: true });
});

async function run(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const r = await runCli(args, { ...env, ...extraEnv });
  outputs.push(`$ ${args.join(" ")}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** No CP secret: the console is read through the tenant (GET /workspaces/:id/console). */
const TENANT_CONSOLE = { MOLECULE_CP_SHARED_SECRET: "", CP_ADMIN_API_TOKEN: "" };

function files(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The sim writes its log once per event-loop turn. */
const logFlushed = () => new Promise((resolve) => setImmediate(resolve));

describe("every command keeps the secrets to itself", () => {
  it("in stdout, stderr, the cache, console files and exports, on success and on failure", async () => {
    const online = sim.state.addWorkspace({ status: "online", runtime: "crewai", tier: 2 });
    const online2 = sim.state.addWorkspace({ status: "online", runtime: "langgraph", tier: 3 });
    const spare = sim.state.addWorkspace({ status: "offline", runtime: "langgraph", tier: 1, instance_id: null });
    const external = sim.state.addWorkspace({ status: "online", runtime: "external" });
    const paused = sim.state.addWorkspace({ status: "paused", name: "paused-lead" });
    const child = sim.state.addWorkspace({ status: "online", parent_id: paused.id });
    const crashing = sim.state.addStuckBoot(15, { name: "crashing" });
    const crashing2 = sim.state.addStuckBoot(15, { name: "crashing-2" });
    const crashing3 = sim.state.addStuckBoot(15, { name: "crashing-3" });
    const crashing4 = sim.state.addStuckBoot(15, { name: "crashing-4" });
    const unknown = randomUUID();

    expect((await run(["sync"])).code).toBe(0);
    await logFlushed();
    expect((await run(["import-log", simLog, "--json"])).code).toBe(0);
    await run(["workspaces", "--json"]);
    await run(["workspaces"]);
    expect((await run(["status", online.id, "--json"])).code).toBe(0);
    await run(["status", spare.id]); // no instance on file: says how to learn it
    expect((await run(["console", online.id, "--out", join(dir, "console.txt")])).code).toBe(0);
    await run(["console", online.id, "--cached"]);
    expect((await run(["console", online.id, "--json"], TENANT_CONSOLE)).code).toBe(0);
    // provision: a workspace the tenant does not know, and one it knows (warned).
    expect((await run(["provision", unknown, "--runtime", "langgraph", "--tier", "1", "--yes"])).code).toBe(0);
    await run(["status", unknown]);
    await run(["stop", unknown, "--yes"]);
    expect((await run(["provision", spare.id, "--yes"])).stderr).toContain("warning: the tenant knows");
    await run(["stop", spare.id, "--yes"]);
    // restart: via cp (pre_stop, Stop, the tenant's restart), via tenant, refused via cp once the
    // stopped instance is closed, a noop, and a paused parent's 409.
    expect((await run(["restart", online.id, "--via", "cp", "--yes", "--follow", "5"])).code).toBe(0);
    expect((await run(["restart", online.id, "--via", "tenant", "--yes", "--follow", "5", "--json"])).code).toBe(0);
    expect((await run(["restart", online.id, "--via", "cp", "--yes"])).stderr).toMatch(/needs the instance/);
    expect((await run(["restart", external.id, "--yes"])).stdout).toContain("nothing to restart");
    expect((await run(["restart", child.id, "--yes"])).stderr).toContain("paused-lead");
    // report-failure with no crash on file: the console is read (through the CP, then the tenant).
    const reported = await run(["report-failure", crashing.id, "--yes", "--json"]);
    expect(JSON.parse(reported.stdout)).toEqual({ workspace_id: crashing.id, changed: true });
    await run(["report-failure", crashing.id, "--yes"]);
    const viaTenant = await run(["report-failure", crashing2.id, "--yes", "--json"], TENANT_CONSOLE);
    expect(JSON.parse(viaTenant.stdout)).toEqual({ workspace_id: crashing2.id, changed: true });
    const doctor = await run(["doctor", "--json"]);
    expect(doctor.code).toBe(3);
    const stuck = JSON.parse(doctor.stdout).findings.find(
      (f: { kind: string; workspace_id: string }) => f.kind === "stuck_provisioning" && f.workspace_id === crashing3.id,
    );
    expect(stuck).toBeDefined();
    expect((await run(["doctor", "--act", stuck.id, "--yes"])).code).toBe(0);
    await run(["doctor"]);
    const log = join(dir, "platform.log");
    writeFileSync(
      log,
      `${IMPORTED_LINE_AT} evt: provision.ec2_started {"workspace_id":"${online.id}","instance_id":"i-0123456789abcdef0"}\nprose line\n`,
    );
    expect(JSON.parse((await run(["import-log", log, "--json"])).stdout)).toMatchObject({ events: 1, skipped: 1 });
    await run(["timeline", "--format", "csv", "--out", join(dir, "timeline.csv")]);
    await run(["timeline", "--format", "jsonl", "--out", join(dir, "timeline.jsonl")]);
    await run(["timeline", online.id]);

    // Failure paths: every upstream answer echoes the secrets, as a misconfigured proxy might.
    const unseen = sim.state.addStuckBoot(15, { name: "crashing-unseen" });
    const routes = [
      "cp.provision",
      "cp.stop",
      "cp.status",
      "cp.console",
      "tenant.list",
      "tenant.events",
      "tenant.workspace-events",
      "tenant.restart",
      "tenant.get",
      "tenant.console",
      "tenant.bootstrap-failed",
    ];
    for (const route of routes) sim.faults.set(route, { kind: "status", status: 502, body: ECHO });
    const failed: CliResult[] = [];
    const fail = async (args: string[], extraEnv: Record<string, string> = {}) => {
      const r = await run(args, extraEnv);
      failed.push(r);
      return r;
    };
    await fail(["sync"]);
    await fail(["status", online2.id]);
    await fail(["console", online.id]);
    await fail(["console", online.id], TENANT_CONSOLE);
    await fail(["provision", randomUUID(), "--runtime", "langgraph", "--tier", "1", "--yes"]);
    await fail(["stop", online2.id, "--yes"]);
    await fail(["restart", online2.id, "--via", "cp", "--yes", "--follow", "2"]);
    await fail(["restart", online.id, "--via", "tenant", "--yes", "--follow", "2"]);
    await fail(["report-failure", crashing.id, "--yes"]); // crash on file: straight to bootstrap-failed
    await fail(["report-failure", crashing4.id, "--yes"]); // the doctor saw its crash: the same
    await fail(["report-failure", unseen.id, "--yes"]); // none on file: the console read fails
    await fail(["report-failure", unseen.id, "--yes"], TENANT_CONSOLE);
    await fail(["doctor"]);
    // The restart is accepted, then following it fails (GET /workspaces/:id, and /events/:id).
    sim.faults.clear("tenant.restart");
    await fail(["restart", online.id, "--yes", "--follow", "1"]);
    for (const r of failed) expect(r.code, r.stderr).not.toBe(0);
    expect(failed.map((r) => r.stdout + r.stderr).join("\n")).toMatch(/502/);
    sim.faults.clear();

    // The platform's rate limiter, echoing the secrets: a GET is retried after Retry-After, then
    // given up; a POST is never retried.
    sim.faults.set("tenant.list", { kind: "status", status: 429, retryAfter: 1, body: ECHO });
    sim.faults.set("tenant.restart", { kind: "status", status: 429, retryAfter: 1, body: ECHO });
    const limited = await run(["sync"]);
    expect(limited.code).toBe(2);
    expect(limited.stderr).toMatch(/rate-limiting this client \(429\)/);
    const limitedRestart = await run(["restart", online.id, "--yes"]);
    expect(limitedRestart.code).toBe(2);
    expect(limitedRestart.stderr).toMatch(/429/);
    sim.faults.clear();

    // The org guard's empty 404 (a wrong org id): a configuration error naming where to look.
    for (const args of [["sync"], ["restart", online.id, "--yes"], ["report-failure", crashing4.id, "--yes"]]) {
      const r = await run(args, { MOLECULE_ORG_ID: "org-not-this-one" });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/empty 404: check MOLECULE_ORG_ID .*MOLECULE_TENANT_URL/);
    }
    // A wrong token: the 401 message says whether one was set, never which.
    const wrong = await run(["sync"], { ADMIN_TOKEN: `${SECRETS.adminToken}-wrong` });
    expect(wrong.stderr).toMatch(/refused ADMIN_TOKEN \(401\)/);

    // watch for a moment (heartbeats and chat on the feed), then Ctrl-C.
    const watch = spawn(process.execPath, [BIN, "watch", "--json"], {
      env: { PATH: process.env.PATH, HOME: dir, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let watched = "";
    watch.stdout.on("data", (c) => {
      watched += c;
    });
    watch.stderr.on("data", (c) => {
      watched += c;
    });
    await new Promise((r) => setTimeout(r, 1500));
    watch.kill("SIGINT");
    await new Promise((r) => watch.once("exit", r));
    outputs.push(watched);
    expect(watched).toContain('"feed":"open"');

    const everything = outputs.join("\n");
    const stored = files(dir).map((f) => [f, readFileSync(f).toString("latin1")] as const);
    expect(stored.some(([f]) => f.endsWith("timeline.csv"))).toBe(true);
    for (const needle of NEEDLES) {
      expect(everything).not.toContain(needle);
      for (const [f, content] of stored) {
        if (f.endsWith("platform.log")) continue; // our own input file
        expect(content, f).not.toContain(needle);
      }
    }
  }, 120_000);
});
