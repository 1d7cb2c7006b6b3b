/**
 * Security is a feature: with distinctive secrets configured, every command runs (happy paths
 * and, with upstream answers that echo the secrets back, failure paths) and nothing it prints,
 * logs, stores or exports holds a secret or its first 8 characters.
 */
import { spawn } from "node:child_process";
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

let dir: string;
let sim: Sim;
let env: Record<string, string>;
const outputs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "secrets-"));
  sim = await startSim({
    workspaces: 8,
    secrets: SECRETS,
    timing: { pendingMs: 20, stoppingMs: 20, provisioningMs: 150 },
  });
  env = { ...sim.env, MOLECULE_OPS_HOME: dir, MOLECULE_OPS_DB: join(dir, "cache.db") };
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<CliResult> {
  const r = await runCli(args, env);
  outputs.push(`$ ${args.join(" ")}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function files(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe("every command keeps the secrets to itself", () => {
  it("in stdout, stderr, the cache, console files and exports, on success and on failure", async () => {
    const online = sim.state.addWorkspace({ status: "online", runtime: "crewai", tier: 2 });
    const spare = sim.state.addWorkspace({ status: "offline", runtime: "langgraph", tier: 1, instance_id: null });
    const crashing = sim.state.addStuckBoot(15, { name: "crashing" });
    await run(["sync"]);
    await run(["workspaces", "--json"]);
    await run(["status", online.id, "--json"]);
    await run(["console", online.id, "--out", join(dir, "console.txt")]);
    await run(["console", online.id, "--cached"]);
    await run(["provision", spare.id, "--yes"]);
    await run(["stop", spare.id, "--yes"]);
    await run(["restart", online.id, "--via", "cp", "--yes", "--follow", "5"]);
    await run(["restart", online.id, "--via", "tenant", "--yes", "--follow", "5"]);
    await run(["doctor", "--json"]);
    await run(["report-failure", crashing.id, "--yes"]);
    const log = join(dir, "platform.log");
    writeFileSync(
      log,
      `2026/05/05 12:30:11 evt: provision.ec2_started {"workspace_id":"${online.id}","instance_id":"i-0123456789abcdef0"}\nprose line\n`,
    );
    await run(["import-log", log, "--json"]);
    await run(["timeline", "--format", "csv", "--out", join(dir, "timeline.csv")]);
    await run(["timeline", "--format", "jsonl", "--out", join(dir, "timeline.jsonl")]);
    await run(["timeline", online.id]);

    // Failure paths: every upstream answer echoes the secrets, as a misconfigured proxy might.
    for (const route of [
      "cp.provision",
      "cp.stop",
      "cp.status",
      "cp.console",
      "tenant.list",
      "tenant.events",
      "tenant.restart",
      "tenant.get",
    ]) {
      sim.faults.set(route, { kind: "status", status: 502, body: ECHO });
    }
    await run(["sync"]);
    await run(["status", online.id]);
    await run(["console", online.id]);
    await run(["provision", spare.id, "--yes"]);
    await run(["restart", online.id, "--via", "cp", "--yes", "--follow", "2"]);
    await run(["restart", online.id, "--via", "tenant", "--yes", "--follow", "2"]);
    await run(["doctor"]);
    sim.faults.clear();
    // A wrong token: the 401 message says whether one was set, never which.
    const wrong = await runCli(["sync"], { ...env, ADMIN_TOKEN: `${SECRETS.adminToken}-wrong` });
    outputs.push(wrong.stdout, wrong.stderr);
    expect(wrong.stderr).toMatch(/refused ADMIN_TOKEN \(401\)/);

    // watch for a moment, then Ctrl-C.
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

    const everything = outputs.join("\n");
    expect(everything).toMatch(/502/); // the failure paths were exercised
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
