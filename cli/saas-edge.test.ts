/**
 * The real CLI against a SaaS-like tenant: the emulator with the SaaS edge in front of it (a
 * /workspaces request without Origin gets the web UI's empty 404) and its own server log, the
 * only place a real tenant writes which instance each workspace runs on (docs/contracts.md §3, §7).
 */
import { readFileSync } from "node:fs";
import { WebSocket } from "undici";
import { describe, expect, it } from "vitest";
import type { FeedMessage, RequestRecord, Sim } from "../sim";
import { injectProblems } from "../sim/problems";
import { call, orgHeaders, tenantHeaders } from "../sim/test-support";
import { cliTenantsPerTest, importServerLog, requestsTo, restartDone, runCli, watchJson } from "./run-cli.testkit";

/** FAST timing, the wall clock (the CLI beside it runs on it), heartbeats and chat off unless asked. */
const saasTenant = cliTenantsPerTest("cli-saas-", { saasEdge: true, crashRatio: 0, workspaces: 12, seed: 5 });

/** What the feed carries besides status: never a timeline event, never shown as a change. */
const BROADCAST_ONLY = ["WORKSPACE_HEARTBEAT", "TASK_UPDATED", "AGENT_MESSAGE", "A2A_RESPONSE", "ACTIVITY_LOGGED"];

/** Requests to the tenant (not the CP, not the sim's own control routes). */
function tenantRequests(sim: Sim, from = 0): RequestRecord[] {
  return sim.state
    .requests()
    .slice(from)
    .filter((r) => r.route?.startsWith("tenant."));
}

/** Every tenant request carried the tenant URL's own Origin and the org id: the edge and the org guard let it by. */
function expectEdgeHeaders(sim: Sim, requests: RequestRecord[]): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    expect(r.headers.origin, `${r.method} ${r.path}`).toBe(new URL(sim.url).origin);
    expect(r.headers["x-molecule-org-id"], `${r.method} ${r.path}`).toBe(sim.env.MOLECULE_ORG_ID);
  }
}

interface Listed {
  id: string;
  status: string;
  instance_id: string | null;
}

async function listed(env: Record<string, string>): Promise<Listed[]> {
  const r = await runCli(["workspaces", "--json"], env);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Listed[];
}

async function timelineTypes(env: Record<string, string>): Promise<Array<{ event: string; workspace_id: string }>> {
  const r = await runCli(["timeline", "--format", "jsonl"], env);
  expect(r.code).toBe(0);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe("sync, workspaces and import-log behind the SaaS edge", () => {
  it("sync works (every request with Origin and the org id), workspaces works offline, import-log learns the instances", async () => {
    const { sim, env, logFile } = await saasTenant();
    // What the edge does to a request without Origin: the web UI's empty 404.
    const { origin: _origin, ...withoutOrigin } = tenantHeaders(sim);
    const bare = await call(sim, "GET", "/workspaces", { headers: withoutOrigin });
    expect(bare.status).toBe(404);
    expect(bare.text).toBe("");

    const from = sim.state.requests().length;
    const s = await runCli(["sync", "--json"], env);
    expect(s.stderr).toBe("");
    expect(s.code).toBe(0);
    const truth = sim.state.workspaces().filter((w) => w.status !== "removed");
    expect(JSON.parse(s.stdout)).toMatchObject({
      workspaces: truth.length,
      added: truth.length,
      without_instance: truth.length,
      events_error: null,
    });
    const synced = tenantRequests(sim, from);
    expect(synced.map((r) => `${r.method} ${r.path}`).sort()).toEqual(["GET /events", "GET /workspaces"]);
    expect(synced.every((r) => r.status === 200)).toBe(true);
    expectEdgeHeaders(sim, synced);

    // Offline: the tenant URL is wrong now, and the cache still answers.
    const offlineEnv = { ...env, MOLECULE_TENANT_URL: "http://127.0.0.1:9" };
    const before = sim.state.requests().length;
    const offline = await listed(offlineEnv);
    expect(offline.map((r) => r.id).sort()).toEqual(truth.map((w) => w.id).sort());
    for (const row of offline) {
      expect(row.status).toBe(truth.find((w) => w.id === row.id)?.status);
      expect(row.instance_id).toBeNull();
    }
    const table = await runCli(["workspaces"], offlineEnv);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`${truth.length} workspaces; last sync`);
    expect(sim.state.requests().length).toBe(before);

    // The tenant's server log is where the instance ids are.
    const imported = await importServerLog(logFile, offlineEnv);
    expect(imported.bindings).toBeGreaterThan(0);
    const bound = await listed(offlineEnv);
    for (const row of bound) expect(row.instance_id, row.id).toBe(sim.state.instanceOf(row.id));
    expect(bound.filter((r) => r.instance_id !== null).length).toBeGreaterThan(0);
  });
});

describe("watch behind the SaaS edge", () => {
  it("shows a pushed status change (a relist asked for before it does not undo it); heartbeats and chat are never shown and never stored", async () => {
    const { sim, env } = await saasTenant({ timing: { heartbeatMs: 60, chatMs: 40 } });
    const ws = sim.state.addWorkspace({ status: "online", runtime: "crewai", tier: 2, name: "edge-watched" });
    expect((await runCli(["sync"], env)).code).toBe(0);
    // watch relists when it starts and again when the feed opens; both lists are slow, so the
    // change below is pushed while the second one is on its way (asked for before the change).
    sim.faults.set("tenant.list", { kind: "slow", delayMs: 1000 }, { times: 2 });
    const { output, lines, until, stop } = watchJson(env);
    // A second listener on the same feed, to see what the tenant pushed meanwhile.
    const seen: FeedMessage[] = [];
    const feed = new WebSocket(`${sim.url.replace(/^http/, "ws")}/ws`, { headers: orgHeaders(sim) });
    feed.addEventListener("message", (e) => seen.push(JSON.parse(String(e.data)) as FeedMessage));
    try {
      await until(() => lines().some((c) => c.kind === "connection" && c.feed === "open"), "the feed to open");
      const opened = lines().find((c) => c.kind === "connection" && c.feed === "open");
      await new Promise((r) => setTimeout(r, 100));
      sim.state.setWorkspaceStatus(ws.id, "degraded");
      await until(
        () => lines().some((c) => c.kind === "status" && c.workspace_id === ws.id && c.status === "degraded"),
        "the pushed change",
      );
      // The relist that was on its way comes back (a newer last sync)…
      await until(
        () => lines().some((c) => c.kind === "connection" && c.last_sync_at !== opened.last_sync_at),
        "the relist after the feed opened",
      );
      expect(requestsTo(sim, "GET", "tenant.list").length).toBeGreaterThanOrEqual(3);
      // …and heartbeats and chat went by all along.
      await until(
        () =>
          ["WORKSPACE_HEARTBEAT", "A2A_RESPONSE", "AGENT_MESSAGE", "ACTIVITY_LOGGED"].every((t) =>
            seen.some((m) => m.event === t),
          ),
        "heartbeats and chat on the feed",
      );
      const count = seen.length;
      await until(() => seen.length > count + 10, "more feed traffic");
    } finally {
      feed.close();
    }
    expect(await stop()).toBe(0);
    expect(lines().find((c) => c.kind === "status" && c.status === "degraded")).toMatchObject({
      workspace_id: ws.id,
      previous: "online",
      source: "event",
    });
    // Only connection and status changes; nothing of the heartbeats or the chat.
    for (const line of lines()) expect(["connection", "status"]).toContain(line.kind);
    for (const type of BROADCAST_ONLY) expect(output.stdout).not.toContain(type);
    // One change: the older list did not take the workspace back to online, nor restate it.
    expect(
      lines().filter((c) => c.kind === "status" && c.workspace_id === ws.id),
      output.stdout,
    ).toHaveLength(1);
    const listed = JSON.parse((await runCli(["workspaces", "--json"], env)).stdout) as Listed[];
    expect(listed.find((w) => w.id === ws.id)?.status).toBe("degraded");
    // The feed connection passed the edge and the org guard like every other request.
    expect(requestsTo(sim, "GET", "tenant.ws").length).toBeGreaterThan(0);
    expectEdgeHeaders(sim, tenantRequests(sim));

    // The timeline holds the status event once (pushed, then listed with its id by a sync), and
    // none of the broadcast-only traffic.
    expect((await runCli(["sync"], env)).code).toBe(0);
    const timeline = await timelineTypes(env);
    expect(timeline.filter((e) => BROADCAST_ONLY.includes(e.event))).toEqual([]);
    expect(timeline.filter((e) => e.event === "WORKSPACE_DEGRADED" && e.workspace_id === ws.id)).toHaveLength(1);
    expect(sim.state.events().some((e) => BROADCAST_ONLY.includes(e.event_type))).toBe(false);
  });
});

describe("restart behind the SaaS edge", () => {
  it("via tenant: done, and the tenant's server log then has the new instance", async () => {
    const { sim, env, logFile } = await saasTenant();
    const ws = sim.state.addWorkspace({ status: "online", runtime: "langgraph", tier: 2 });
    const old = sim.state.instanceOf(ws.id) as string;
    const from = sim.state.requests().length;
    const r = await runCli(["restart", ws.id, "--yes", "--json"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ workspace_id: ws.id, via: "tenant", outcome: "done", stopped_instance_id: null });
    expect(doc.steps.map((s: { step: string }) => s.step).slice(0, 2)).toEqual(["request", "accepted"]);
    expect(doc.steps.at(-1).step).toBe("status online");
    expectEdgeHeaders(sim, tenantRequests(sim, from));
    expect(sim.state.requests().filter((q) => q.route?.startsWith("cp."))).toHaveLength(0);

    const fresh = sim.state.instanceOf(ws.id) as string;
    expect(fresh).toMatch(/^i-/);
    expect(fresh).not.toBe(old);
    await new Promise((resolve) => setImmediate(resolve));
    const log = readFileSync(logFile, "utf8");
    expect(log).toMatch(
      new RegExp(`evt: provision\\.ec2_started \\{[^\\n]*"instance_id":"${fresh}"[^\\n]*"workspace_id":"${ws.id}"`),
    );
    expect((await runCli(["sync"], env)).code).toBe(0);
    await importServerLog(logFile, env);
    expect((await listed(env)).find((w) => w.id === ws.id)?.instance_id).toBe(fresh);
  });

  it("via cp: refused without an instance on file; after import-log, pre_stop, the CP Stop of that instance, the tenant's restart", async () => {
    const { sim, env, logFile } = await saasTenant();
    const ws = sim.state.addWorkspace({ status: "online", runtime: "crewai", tier: 3 });
    expect((await runCli(["sync"], env)).code).toBe(0);
    const before = sim.state.requests().length;
    const refused = await runCli(["restart", ws.id, "--via", "cp", "--yes"], env);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(
      new RegExp(
        `^molecule-ops: restart via cp needs the instance of ${ws.id} on file, and none is \\(.*import-log FILE`,
      ),
    );
    expect(sim.state.requests().length).toBe(before);

    await importServerLog(logFile, env);
    const instance = sim.state.instanceOf(ws.id) as string;
    const from = sim.state.requests().length;
    const r = await runCli(["restart", ws.id, "--via", "cp", "--yes", "--json"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject(restartDone(ws.id, "cp", instance));
    const steps = doc.steps.map((s: { step: string }) => s.step);
    expect(steps.slice(0, 5)).toEqual(["pre_stop", "stop", "stopped", "request", "accepted"]);
    expect(steps.at(-1)).toBe("status online");
    // Exactly one Stop, of exactly that instance; then the tenant's restart; never a CP Start.
    expect(requestsTo(sim, "DELETE", "cp.stop").map((q) => q.url)).toEqual([
      `/cp/workspaces/${ws.id}?instance_id=${instance}`,
    ]);
    expect(requestsTo(sim, "POST", "tenant.restart").map((q) => q.path)).toEqual([`/workspaces/${ws.id}/restart`]);
    expect(requestsTo(sim, "POST", "cp.provision")).toHaveLength(0);
    expectEdgeHeaders(sim, tenantRequests(sim, from));
    const consoleSteps = (await timelineTypes(env))
      .filter((e) => e.workspace_id === ws.id && e.event.startsWith("restart.") && e.event !== "restart.status")
      .map((e) => e.event);
    expect(consoleSteps).toEqual(["restart.pre_stop", "restart.requested", "restart.done"]);
    expect(sim.state.instance(instance)?.state).toMatch(/stopping|terminated/);
    expect(sim.state.instanceOf(ws.id)).not.toBe(instance);
  });

  it("an external workspace: nothing to restart (noop), exit 0", async () => {
    const { sim, env } = await saasTenant();
    const ws = sim.state.addWorkspace({ status: "online", runtime: "external" });
    const r = await runCli(["restart", ws.id, "--yes"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^nothing to restart: external workspaces are operator-driven/m);
    expect(requestsTo(sim, "POST", "tenant.restart")).toHaveLength(1);
    expect(requestsTo(sim, "GET", "tenant.get")).toHaveLength(0);
  });

  it("a child of a paused parent: exit 2 with the platform's reason naming the parent", async () => {
    const { sim, env } = await saasTenant();
    const parent = sim.state.addWorkspace({ status: "paused", name: "paused-orchestrator" });
    const child = sim.state.addWorkspace({ status: "online", parent_id: parent.id });
    const r = await runCli(["restart", child.id, "--yes", "--json"], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      `molecule-ops: restart failed: restart ${child.id}: the tenant refused (409): parent workspace "paused-orchestrator" is paused — resume it first`,
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "failed", error_code: "Conflict" });
    expect(sim.state.workspace(child.id)?.status).toBe("online");
  });
});

describe("bootstrap failures and the doctor behind the SaaS edge", () => {
  it("report-failure with no detection on file reads the console itself: {workspace_id, changed:true}, then changed:false", async () => {
    const { sim, env } = await saasTenant();
    const stuck = sim.state.addStuckBoot(3, { name: "boot-crashed" });
    // In the cache as provisioning, with no crash detected (nothing read its console yet).
    expect((await runCli(["sync"], env)).code).toBe(0);
    // No CP secret: the console too is read through the tenant, past the edge.
    const tenantOnly = { ...env, MOLECULE_CP_SHARED_SECRET: "", CP_ADMIN_API_TOKEN: "" };
    const from = sim.state.requests().length;
    const first = await runCli(["report-failure", stuck.id, "--yes", "--json"], tenantOnly);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ workspace_id: stuck.id, changed: true });
    expect(tenantRequests(sim, from).map((q) => `${q.method} ${q.route}`)).toEqual([
      "GET tenant.console",
      "POST tenant.bootstrap-failed",
    ]);
    expectEdgeHeaders(sim, tenantRequests(sim, from));
    expect(sim.state.workspace(stuck.id)?.status).toBe("failed");

    // Again: the crash is on file now (no console read), and the tenant has moved on.
    const before = sim.state.requests().length;
    const again = await runCli(["report-failure", stuck.id, "--yes", "--json"], tenantOnly);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ workspace_id: stuck.id, changed: false });
    expect(tenantRequests(sim, before).map((q) => `${q.method} ${q.route}`)).toEqual(["POST tenant.bootstrap-failed"]);
    const events = (await timelineTypes(env))
      .filter((e) => e.workspace_id === stuck.id && e.event.startsWith("bootstrap."))
      .map((e) => e.event);
    expect(events).toEqual(["bootstrap.failure_detected", "bootstrap.failure_reported", "bootstrap.failure_reported"]);
  });

  it("doctor --json finds the stuck boot, the malformed binding and the orphan, each with its action", async () => {
    const { sim, env, logFile } = await saasTenant({ workspaces: 30 });
    await new Promise((r) => setTimeout(r, 300));
    expect((await runCli(["sync"], env)).code).toBe(0);
    await importServerLog(logFile, env);
    const healthy = await runCli(["doctor", "--json"], env);
    expect(healthy.code).toBe(0);
    expect(JSON.parse(healthy.stdout).findings).toEqual([]);

    // sim --problems, as its helper makes them: the same picks it will make.
    const [malformed, orphan] = sim.state
      .workspaces()
      .filter((w) => w.status === "online" && w.runtime !== "external" && sim.state.instanceOf(w.id) !== null);
    expect(malformed && orphan).toBeTruthy();
    const orphanInstance = sim.state.instanceOf(orphan!.id) as string;
    const problems = injectProblems(sim.state, 10);
    try {
      const deadline = Date.now() + 5000;
      while (sim.state.workspace(orphan!.id)?.status !== "removed") {
        if (Date.now() > deadline) throw new Error("the orphan was not made");
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      problems.cancel();
    }
    // The malformed binding is in the tenant's log: a newer import brings it.
    await importServerLog(logFile, env);
    const stuck = sim.state.workspaces().find((w) => w.name === "stuck-boot")!;
    const from = sim.state.requests().length;
    const r = await runCli(["doctor", "--json"], env);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.tenant).toBe("ok");
    expect(report.checks_uncertain).toBe(0);
    const got = report.findings.map((f: { kind: string; workspace_id: string }) => [f.kind, f.workspace_id]).sort();
    expect(got).toEqual(
      [
        ["malformed_binding", malformed!.id],
        ["orphan_instance", orphan!.id],
        ["stuck_provisioning", stuck.id],
      ].sort(),
    );
    const byKind = Object.fromEntries(report.findings.map((f: { kind: string }) => [f.kind, f]));
    expect(byKind.orphan_instance).toMatchObject({ instance_id: orphanInstance, action: { kind: "stop_instance" } });
    expect(byKind.malformed_binding).toMatchObject({ instance_id: malformed!.id, action: { kind: "close_binding" } });
    expect(byKind.stuck_provisioning).toMatchObject({ action: { kind: "report_bootstrap_failure" } });
    expect(
      byKind.stuck_provisioning.evidence.some(
        (e: { source: string; text: string }) => e.source === "console" && e.text.startsWith("RUNTIME CRASHED"),
      ),
    ).toBe(true);
    expectEdgeHeaders(sim, tenantRequests(sim, from));
  }, 30_000);
});

describe("configuration errors behind the SaaS edge", () => {
  it("a wrong org id: the org guard's empty 404 is exit 1 naming MOLECULE_ORG_ID and MOLECULE_TENANT_URL", async () => {
    const { sim, env } = await saasTenant();
    const ws = sim.state.workspaces().find((w) => w.status === "online")!;
    const stuck = sim.state.addStuckBoot(3);
    const wrong = { ...env, MOLECULE_ORG_ID: "org-someone-else" };
    for (const args of [
      ["sync"],
      ["sync", "--json"],
      ["restart", ws.id, "--yes"],
      ["restart", ws.id, "--yes", "--json"],
      // The console is read through the CP (its routes are not the tenant's), then the report is refused.
      ["report-failure", stuck.id, "--yes"],
    ]) {
      const r = await runCli(args, wrong);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/the tenant answered an empty 404: check MOLECULE_ORG_ID .*and MOLECULE_TENANT_URL/);
      if (args[0] === "sync" && args.includes("--json")) {
        expect(JSON.parse(r.stdout).error).toMatchObject({ code: "Config", status: 404 });
      }
      if (args[0] === "restart" && args.includes("--json")) {
        expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "failed", error_code: "Config" });
      }
    }
    // Nothing reached a handler: the guard answered every one of them, with an empty 404.
    const tenant = tenantRequests(sim);
    expect(tenant.length).toBeGreaterThan(0);
    expect(tenant.filter((q) => q.status !== 404)).toEqual([]);
    expect(sim.state.workspace(ws.id)?.status).toBe("online");
    expect(sim.state.workspace(stuck.id)?.status).toBe("provisioning");
  });
});
