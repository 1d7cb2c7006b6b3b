import { describe, expect, it } from "vitest";
import { cliTenantsPerTest, importServerLog, requestsTo, restartDone, runCli, watchJson } from "./run-cli.testkit";

/** An empty tenant unless a test asks for workspaces, its server log and a cache of its own. */
const setup = cliTenantsPerTest("cli-live-", { workspaces: 0 });

/** The `<time>  <step>[  detail]` lines a restart prints, as step names. */
function printedSteps(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => /^\d{4}-\d\d-\d\dT\S+Z {2}/.test(l))
    .map((l) => l.replace(/^\S+ {2}/, "").split("  ")[0]!);
}

describe("restart", () => {
  it("via tenant (the default): prints each step, exits 0, and --json is one document with the steps", async () => {
    const { sim, env, logFile } = await setup({ crashRatio: 0 });
    const ws = sim.state.addWorkspace({ status: "online", runtime: "crewai", tier: 2 });
    const old = sim.state.instanceOf(ws.id) as string;
    const human = await runCli(["restart", ws.id, "--yes"], env);
    expect(human.stderr).toBe("");
    expect(human.code).toBe(0);
    const steps = printedSteps(human.stdout);
    expect(steps.slice(0, 2)).toEqual(["request", "accepted"]);
    expect(steps.at(-1)).toBe("status online");
    expect(human.stdout).toMatch(/ {2}accepted {2}status provisioning\n/);
    expect(human.stdout).toContain(`restarted ${ws.id} via tenant; its new instance is in the tenant's server log`);
    // The tenant did it all: one restart request, nothing through the CP.
    expect(requestsTo(sim, "POST", "tenant.restart")).toHaveLength(1);
    expect(sim.state.requests().filter((r) => r.route?.startsWith("cp."))).toHaveLength(0);
    // Its server log has the new instance, which an import teaches the console.
    const fresh = sim.state.instanceOf(ws.id) as string;
    expect(fresh).toMatch(/^i-/);
    expect(fresh).not.toBe(old);
    expect((await runCli(["sync"], env)).code).toBe(0);
    await importServerLog(logFile, env);
    const listed = JSON.parse((await runCli(["workspaces", "--json"], env)).stdout);
    expect(listed.find((r: { id: string }) => r.id === ws.id)).toMatchObject({ instance_id: fresh });

    const json = await runCli(["restart", ws.id, "--yes", "--json"], env);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject(restartDone(ws.id, "tenant", null));
    expect(doc).not.toHaveProperty("instance_id");
    expect(doc.steps.map((s: { step: string }) => s.step).slice(0, 2)).toEqual(["request", "accepted"]);
    expect(doc.steps.at(-1).step).toBe("status online");
    expect(requestsTo(sim, "POST", "cp.provision")).toHaveLength(0);
  });

  it("via cp: refused before any request without the instance on file; after import-log, pre_stop → Stop → the tenant's restart", async () => {
    const { sim, env, logFile } = await setup({ crashRatio: 0 });
    const ws = sim.state.addWorkspace({ status: "online", runtime: "crewai", tier: 2 });
    expect((await runCli(["sync"], env)).code).toBe(0);
    const refused = await runCli(["restart", ws.id, "--via", "cp", "--yes", "--json"], env);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: "Input" });
    expect(refused.stderr).toMatch(
      new RegExp(
        `^molecule-ops: restart via cp needs the instance of ${ws.id} on file, and none is \\(.*import-log FILE`,
      ),
    );
    const sentBefore = sim.state.requests().filter((r) => r.route?.startsWith("cp.") || r.route === "tenant.restart");
    expect(sentBefore).toHaveLength(0);

    await importServerLog(logFile, env);
    const instance = sim.state.instanceOf(ws.id) as string;
    const human = await runCli(["restart", ws.id, "--via", "cp", "--yes"], env);
    expect(human.stderr).toBe("");
    expect(human.code).toBe(0);
    const steps = printedSteps(human.stdout);
    expect(steps.slice(0, 5)).toEqual(["pre_stop", "stop", "stopped", "request", "accepted"]);
    expect(steps.at(-1)).toBe("status online");
    expect(human.stdout).toContain(`pre_stop  instance ${instance}`);
    expect(human.stdout).toContain(`restarted ${ws.id} via cp (stopped ${instance} first)`);
    // The Stop went to the instance on file; the tenant booted the new one; the CP never started one.
    expect(requestsTo(sim, "DELETE", "cp.stop").map((r) => r.url)).toEqual([
      `/cp/workspaces/${ws.id}?instance_id=${instance}`,
    ]);
    expect(requestsTo(sim, "POST", "tenant.restart")).toHaveLength(1);
    expect(requestsTo(sim, "POST", "cp.provision")).toHaveLength(0);
    expect(sim.state.instance(instance)?.state).toMatch(/stopping|terminated/);
    expect(sim.state.instanceOf(ws.id)).not.toBe(instance);

    // The stopped instance is no longer on file: a second via cp needs the newer log first.
    const again = await runCli(["restart", ws.id, "--via", "cp", "--yes"], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/needs the instance .* on file/);
    await importServerLog(logFile, env);
    const fresh = sim.state.instanceOf(ws.id) as string;
    const json = await runCli(["restart", ws.id, "--via", "cp", "--yes", "--json"], env);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject(restartDone(ws.id, "cp", fresh));
    expect(doc).not.toHaveProperty("instance_id");
    expect(doc.steps.map((s: { step: string }) => s.step)).toContain("stop");
    expect(requestsTo(sim, "DELETE", "cp.stop").at(-1)?.url).toBe(`/cp/workspaces/${ws.id}?instance_id=${fresh}`);
    expect(requestsTo(sim, "POST", "cp.provision")).toHaveLength(0);
  });

  it("a Stop 503 exits 2 naming the workspace and the status, stops nothing, and does not ask the tenant", async () => {
    const { sim, env, logFile } = await setup();
    const ws = sim.state.addWorkspace({ status: "online" });
    await runCli(["sync"], env);
    await importServerLog(logFile, env);
    const instance = sim.state.instanceOf(ws.id) as string;
    sim.faults.set("cp.stop", { kind: "status", status: 503 });
    const r = await runCli(["restart", ws.id, "--via", "cp", "--yes"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(ws.id);
    expect(r.stderr).toContain("503");
    expect(sim.state.instance(instance)?.state).toBe("running");
    expect(requestsTo(sim, "POST", "tenant.restart")).toHaveLength(0);
    // The mapping is kept.
    const listed = JSON.parse((await runCli(["workspaces", "--json"], env)).stdout);
    expect(listed.find((x: { id: string }) => x.id === ws.id)).toMatchObject({ instance_id: instance });
  });

  it("an external workspace: nothing to restart (noop), exit 0, not followed", async () => {
    const { sim, env } = await setup();
    const ws = sim.state.addWorkspace({ status: "online", runtime: "external" });
    const human = await runCli(["restart", ws.id, "--yes"], env);
    expect(human.code).toBe(0);
    expect(human.stderr).toBe("");
    expect(human.stdout).toContain(
      "nothing to restart: external workspaces are operator-driven — restart your local poller; platform has nothing to restart",
    );
    const json = await runCli(["restart", ws.id, "--yes", "--json"], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      workspace_id: ws.id,
      via: "tenant",
      outcome: "noop",
      stopped_instance_id: null,
      error: null,
      message: expect.stringContaining("operator-driven"),
    });
    expect(requestsTo(sim, "POST", "tenant.restart")).toHaveLength(2);
    expect(requestsTo(sim, "GET", "tenant.get")).toHaveLength(0);
    expect(sim.state.workspace(ws.id)?.status).toBe("online");
  });

  it("a child of a paused parent: exit 2 with the platform's reason naming the parent", async () => {
    const { sim, env } = await setup();
    const parent = sim.state.addWorkspace({ status: "paused", name: "team-lead" });
    const child = sim.state.addWorkspace({ status: "online", parent_id: parent.id });
    const r = await runCli(["restart", child.id, "--yes"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('parent workspace "team-lead" is paused — resume it first');
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(sim.state.workspace(child.id)?.status).toBe("online");
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
    const { output, lines, until, stop } = watchJson(env);
    await until(() => lines().some((c) => c.kind === "connection" && c.feed === "open"));
    sim.state.setWorkspaceStatus(ws.id, "degraded");
    await until(() => lines().some((c) => c.kind === "status" && c.status === "degraded"));
    const change = lines().find((c) => c.kind === "status" && c.status === "degraded");
    expect(change).toMatchObject({ workspace_id: ws.id, previous: "online", source: "event" });
    expect(await stop()).toBe(0);
    // Every line is one JSON document and carries no secret.
    for (const secret of [env.ADMIN_TOKEN, env.MOLECULE_CP_SHARED_SECRET, env.CP_ADMIN_API_TOKEN]) {
      expect(output.stdout).not.toContain(String(secret).slice(0, 8));
    }
  });

  it("keeps running while the tenant is down and its feed refused, until Ctrl-C, then exits 0", async () => {
    const { sim, env } = await setup();
    sim.faults.set("tenant.list", { kind: "status", status: 500 });
    sim.faults.set("tenant.ws", { kind: "status", status: 503 });
    const { child, lines, until, stop } = watchJson(env);
    await until(() => lines().some((c) => c.kind === "connection" && c.tenant === "unreachable"), "unreachable");
    // The engine's own timers do not hold the process: watch must (it once exited 13 here).
    await until(() => sim.state.requests().filter((q) => q.route === "tenant.ws").length >= 2, "a feed retry");
    expect(child.exitCode).toBeNull();
    expect(await stop()).toBe(0);
  });
});

describe("doctor", () => {
  it("exits 0 when healthy, 3 with findings (JSON report), and acts on one with --act ID --yes", async () => {
    const { sim, env, logFile } = await setup({ workspaces: 40, crashRatio: 0 });
    await new Promise((r) => setTimeout(r, 400));
    expect((await runCli(["sync"], env)).code).toBe(0);
    // The instances come from the tenant's server log, as with a real tenant.
    await importServerLog(logFile, env);
    const healthy = await runCli(["doctor"], env);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/^healthy: 40 workspaces/m);

    const victim = sim.state.workspaces().find((w) => w.status === "online" && sim.state.instanceOf(w.id));
    const instance = sim.state.instanceOf(victim!.id) as string;
    sim.state.removeLeavingInstance(victim!.id);
    const found = await runCli(["doctor", "--json"], env);
    expect(found.code).toBe(3);
    const report = JSON.parse(found.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      kind: "orphan_instance",
      workspace_id: victim!.id,
      instance_id: instance,
      action: { kind: "stop_instance" },
    });

    expect((await runCli(["doctor", "--act", report.findings[0].id], env)).code).toBe(1);
    const acted = await runCli(["doctor", "--act", report.findings[0].id, "--yes"], env);
    expect(acted.code).toBe(0);
    expect(acted.stdout).toContain(`stopped ${instance}`);
    expect(requestsTo(sim, "DELETE", "cp.stop").map((r) => r.url)).toEqual([
      `/cp/workspaces/${victim!.id}?instance_id=${instance}`,
    ]);
  }, 30_000);
});
