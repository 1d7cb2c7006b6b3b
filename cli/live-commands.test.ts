import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simsPerTest } from "../sim/test-support";
import { BIN, runCli } from "./run-cli.testkit";

const sims = simsPerTest();
let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-live-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setup(options: Parameters<typeof sims>[0] = {}) {
  const sim = await sims({ workspaces: 0, ...options });
  const env: Record<string, string> = { ...sim.env, MOLECULE_OPS_DB: join(dir, `cache-${++n}.db`) };
  return { sim, env };
}

describe("restart", () => {
  it("via cp: prints each step, exits 0, and --json is one document with the steps", async () => {
    const { sim, env } = await setup();
    const ws = sim.state.addWorkspace({ status: "online", runtime: "crewai", tier: 2 });
    expect((await runCli(["sync"], env)).code).toBe(0);
    const human = await runCli(["restart", ws.id, "--via", "cp", "--yes"], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/pre_stop[\s\S]*stop[\s\S]*start[\s\S]*status running/);
    expect(human.stdout).toContain(`restarted ${ws.id} via cp`);

    const json = await runCli(["restart", ws.id, "--via", "cp", "--yes", "--json"], env);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ workspace_id: ws.id, via: "cp", outcome: "done", error: null });
    expect(doc.steps.map((s: { step: string }) => s.step)).toContain("stop");
  });

  it("a Stop 503 exits 2 naming the workspace and the status, and stops nothing", async () => {
    const { sim, env } = await setup();
    const ws = sim.state.addWorkspace({ status: "online" });
    await runCli(["sync"], env);
    sim.faults.set("cp.stop", { kind: "status", status: 503 });
    const r = await runCli(["restart", ws.id, "--via", "cp", "--yes"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(ws.id);
    expect(r.stderr).toContain("503");
    expect(sim.state.instance(ws.instance_id as string)?.state).toBe("running");
  });

  it("refuses without --yes, and an unknown --via, with exit 1 and nothing sent", async () => {
    const { sim, env } = await setup();
    const ws = sim.state.addWorkspace({ status: "online" });
    expect((await runCli(["restart", ws.id], env)).code).toBe(1);
    const bad = await runCli(["restart", ws.id, "--via", "ssh", "--yes"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--via takes cp or tenant");
    expect(sim.state.requests().filter((q) => q.route === "tenant.restart" || q.route === "cp.stop")).toHaveLength(0);
  });
});

describe("watch", () => {
  it("--json streams one change a line, including a pushed status change, and exits 0 on SIGINT", async () => {
    const { sim, env } = await setup();
    const ws = sim.state.addWorkspace({ status: "online" });
    const child = spawn(process.execPath, [BIN, "watch", "--json", "--interval", "60"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    const lines = () =>
      stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    const until = async (pred: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`timed out; got: ${stdout}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => lines().some((c) => c.kind === "connection" && c.feed === "open"));
    sim.state.setWorkspaceStatus(ws.id, "degraded");
    await until(() => lines().some((c) => c.kind === "status" && c.status === "degraded"));
    const change = lines().find((c) => c.kind === "status" && c.status === "degraded");
    expect(change).toMatchObject({ workspace_id: ws.id, previous: "online", source: "event" });
    const code = await new Promise<number | null>((resolve) => {
      child.on("close", resolve);
      child.kill("SIGINT");
    });
    expect(code).toBe(0);
    // Every line is one JSON document and carries no secret.
    for (const secret of [env.ADMIN_TOKEN, env.MOLECULE_CP_SHARED_SECRET, env.CP_ADMIN_API_TOKEN]) {
      expect(stdout).not.toContain(String(secret).slice(0, 8));
    }
  });
});

describe("doctor", () => {
  it("exits 0 when healthy, 3 with findings (JSON report), and acts on one with --act ID --yes", async () => {
    const { sim, env } = await setup({ workspaces: 40, crashRatio: 0 });
    await new Promise((r) => setTimeout(r, 400));
    expect((await runCli(["sync"], env)).code).toBe(0);
    const healthy = await runCli(["doctor"], env);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/^healthy: 40 workspaces/m);

    const victim = sim.state.workspaces().find((w) => w.status === "online" && w.instance_id);
    sim.state.removeLeavingInstance(victim!.id);
    const found = await runCli(["doctor", "--json"], env);
    expect(found.code).toBe(3);
    const report = JSON.parse(found.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      kind: "orphan_instance",
      workspace_id: victim!.id,
      instance_id: victim!.instance_id,
    });

    expect((await runCli(["doctor", "--act", report.findings[0].id], env)).code).toBe(1);
    const acted = await runCli(["doctor", "--act", report.findings[0].id, "--yes"], env);
    expect(acted.code).toBe(0);
    expect(acted.stdout).toContain(`stopped ${victim!.instance_id}`);
  }, 30_000);
});
