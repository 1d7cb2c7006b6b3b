import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { OpsError } from "../errors";
import { type OpsWorld, opsWorldsPerTest } from "./ops.testkit";
import { RestartCoordinator, type RestartStep } from "./restart";
import { syncTenant } from "./sync";

const world = opsWorldsPerTest();
const FOLLOW = { pollMs: 15, followTimeoutMs: 5000 };

/** An online workspace with a running instance, synced into the cache. */
async function onlineWorkspace(w: OpsWorld, runtime = "langgraph") {
  const ws = w.sim.state.addWorkspace({ status: "online", runtime, tier: 3 });
  await syncTenant(w.store, w.tenant);
  return { id: ws.id, instance: ws.instance_id as string };
}

function coordinator(w: OpsWorld) {
  return new RestartCoordinator({ store: w.store, cp: w.cp, tenant: w.tenant, platformUrl: w.sim.url });
}

function consoleRecords(w: OpsWorld, workspaceId: string) {
  return [...w.store.timeline({ workspaceId })]
    .filter((r) => r.source === "console")
    .map((r) => ({ event: r.event, fields: JSON.parse(r.fields) as Record<string, unknown> }));
}

function requestsTo(w: OpsWorld, method: string, route: string) {
  return w.sim.state.requests().filter((r) => r.method === method && r.route === route);
}

describe("restart via cp", () => {
  it("pre_stop → Stop of the instance on file → Start → running, each step in the timeline", async () => {
    const w = await world({ workspaces: 0 });
    const { id, instance } = await onlineWorkspace(w);
    const seen: RestartStep[] = [];
    const handle = coordinator(w).restart({ workspaceId: id, via: "cp", ...FOLLOW, onStep: (s) => seen.push(s) });
    const out = await handle.done;

    expect(out).toMatchObject({ workspace_id: id, via: "cp", outcome: "done", error: null });
    expect(out.instance_id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(out.instance_id).not.toBe(instance);
    expect(seen.map((s) => s.step)).toEqual(expect.arrayContaining(["pre_stop", "stop", "start", "status running"]));
    // The Stop went to the instance on file, never the workspace UUID.
    expect(requestsTo(w, "DELETE", "cp.stop")[0]?.url).toContain(`instance_id=${instance}`);
    expect(w.store.resolveInstanceId(id)).toBe(out.instance_id);
    expect(w.sim.state.instance(instance)?.state).toMatch(/stopping|terminated/);

    const events = consoleRecords(w, id).map((r) => r.event);
    expect(events[0]).toBe("restart.pre_stop");
    expect(events.indexOf("provision.ec2_stopped")).toBeGreaterThan(0);
    expect(events.indexOf("provision.ec2_started")).toBeGreaterThan(events.indexOf("provision.ec2_stopped"));
    expect(events.at(-1)).toBe("restart.done");
    expect(consoleRecords(w, id)[0]?.fields).toEqual({ workspace_id: id, backend: "cp" });
    expect(w.store.restarts.latestFor(id)).toMatchObject({ state: "done", via: "cp" });
  });

  it("a Stop answered 503 ends the cycle: workspace and status in the error, old mapping kept, failure in the timeline", async () => {
    const w = await world({ workspaces: 0 });
    const { id, instance } = await onlineWorkspace(w);
    w.sim.faults.set("cp.stop", { kind: "status", status: 503 });
    const out = await coordinator(w).restart({ workspaceId: id, via: "cp", ...FOLLOW }).done;

    expect(out.outcome).toBe("failed");
    expect(out.error).toContain(id);
    expect(out.error).toContain("503");
    expect(w.store.resolveInstanceId(id)).toBe(instance);
    expect(requestsTo(w, "POST", "cp.provision")).toHaveLength(0);
    const records = consoleRecords(w, id);
    expect(records.map((r) => r.event)).toEqual(["restart.pre_stop", "restart.failed"]);
    expect(records[1]?.fields).toMatchObject({ workspace_id: id, via: "cp", step: "stop" });
    expect(String(records[1]?.fields.error)).toContain("503");
    expect(w.store.restarts.latestFor(id)).toMatchObject({ state: "failed", step: "stop" });
  });

  it("is cancellable before Stop is sent, and not after", async () => {
    const w = await world({ workspaces: 0 });
    const { id, instance } = await onlineWorkspace(w);
    const c = coordinator(w);
    const early = c.restart({ workspaceId: id, via: "cp", ...FOLLOW });
    expect(early.cancel()).toBe(true);
    expect(await early.done).toMatchObject({ outcome: "cancelled" });
    expect(requestsTo(w, "DELETE", "cp.stop")).toHaveLength(0);
    expect(w.store.resolveInstanceId(id)).toBe(instance);
    expect(consoleRecords(w, id).map((r) => r.event)).toEqual(["restart.cancelled"]);

    let lateCancel: boolean | undefined;
    const late = c.restart({
      workspaceId: id,
      via: "cp",
      ...FOLLOW,
      onStep: (s) => {
        if (s.step === "stop") lateCancel = late.cancel();
      },
    });
    expect(await late.done).toMatchObject({ outcome: "done" });
    expect(lateCancel).toBe(false);
  });

  it("refuses without runtime and tier in the cache, before anything is sent", async () => {
    const w = await world({ workspaces: 0 });
    const ws = w.sim.state.addWorkspace({ status: "online" });
    expect(() => coordinator(w).restart({ workspaceId: ws.id, via: "cp" })).toThrow(/run sync first/);
    expect(w.sim.state.requests().filter((r) => r.route?.startsWith("cp."))).toHaveLength(0);
  });
});

describe("one restart a workspace", () => {
  it("a second request with the same method joins; another method is a conflict; so is another process", async () => {
    const w = await world({ workspaces: 0 });
    const { id } = await onlineWorkspace(w);
    const c = coordinator(w);
    const first = c.restart({ workspaceId: id, via: "cp", ...FOLLOW });
    const joined: string[] = [];
    const second = c.restart({ workspaceId: id, via: "cp", onStep: (s) => joined.push(s.step) });
    expect(second).toBe(first);
    expect(() => c.restart({ workspaceId: id, via: "tenant" })).toThrow(OpsError);
    expect(() => c.restart({ workspaceId: id, via: "tenant" })).toThrow(/already running/);
    // Another console on the same cache (another process, in production) sees the claim.
    expect(() => coordinator(w).restart({ workspaceId: id, via: "cp" })).toThrow(/already being restarted/);

    expect((await first.done).outcome).toBe("done");
    expect(joined).toContain("status running");
    expect(requestsTo(w, "DELETE", "cp.stop")).toHaveLength(1);
    expect(requestsTo(w, "POST", "cp.provision")).toHaveLength(1);
    // Once it is over the workspace can be restarted again.
    expect((await c.restart({ workspaceId: id, via: "cp", ...FOLLOW }).done).outcome).toBe("done");
  });

  it("a restart left running by a process that died shows as interrupted and does not block the next", async () => {
    const w = await world({ workspaces: 0 });
    const { id } = await onlineWorkspace(w);
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid as number;
    w.store.db
      .prepare(
        `INSERT INTO restarts (workspace_id, via, state, step, owner_pid, started_at, updated_at)
         VALUES (?, 'cp', 'running', 'stop', ?, 1, 1)`,
      )
      .run(id, dead);
    expect(w.store.restarts.latestFor(id)).toMatchObject({ state: "interrupted", step: "stop" });
    expect((await coordinator(w).restart({ workspaceId: id, via: "cp", ...FOLLOW }).done).outcome).toBe("done");
    const states = w.store.db.prepare("SELECT state, step FROM restarts WHERE workspace_id = ? ORDER BY id").all(id);
    expect(states).toEqual([
      { state: "interrupted", step: "stop" },
      { state: "done", step: "status running" },
    ]);
  });
});

describe("restart via tenant", () => {
  it("POST restart, then follows the status until online, each step in the timeline", async () => {
    const w = await world({ workspaces: 0, crashRatio: 0 });
    const { id } = await onlineWorkspace(w);
    const out = await coordinator(w).restart({ workspaceId: id, via: "tenant", ...FOLLOW }).done;
    expect(out).toMatchObject({ outcome: "done", via: "tenant" });
    expect(out.steps.map((s) => s.step)).toEqual(
      expect.arrayContaining(["request", "accepted", "status provisioning", "status online"]),
    );
    expect(requestsTo(w, "POST", "tenant.restart")).toHaveLength(1);
    const events = consoleRecords(w, id).map((r) => r.event);
    expect(events[0]).toBe("restart.requested");
    expect(events).toContain("restart.status");
    expect(events.at(-1)).toBe("restart.done");
  });

  it("a boot that crashes ends the restart as failed with the crash line", async () => {
    const w = await world({ workspaces: 0, crashRatio: 1 });
    const { id } = await onlineWorkspace(w);
    const out = await coordinator(w).restart({ workspaceId: id, via: "tenant", ...FOLLOW }).done;
    expect(out.outcome).toBe("failed");
    expect(out.error).toContain("RUNTIME CRASHED");
    expect(consoleRecords(w, id).at(-1)).toMatchObject({ event: "restart.failed" });
  });

  it("a 409 (already restarting) is a clear conflict and nothing more is sent", async () => {
    const w = await world({ workspaces: 0 });
    const { id } = await onlineWorkspace(w);
    w.sim.faults.set("tenant.restart", { kind: "status", status: 409 }, { times: 1 });
    const out = await coordinator(w).restart({ workspaceId: id, via: "tenant", ...FOLLOW }).done;
    expect(out).toMatchObject({ outcome: "failed" });
    expect(out.error).toMatch(/already restarting \(409\)/);
    expect(w.sim.state.requests().filter((r) => r.route === "tenant.get")).toHaveLength(0);
  });

  it("gives up following at the deadline and says so", async () => {
    const w = await world({ workspaces: 0, timing: { pendingMs: 30, stoppingMs: 30, provisioningMs: 60_000 } });
    const { id } = await onlineWorkspace(w);
    const out = await coordinator(w).restart({ workspaceId: id, via: "tenant", pollMs: 20, followTimeoutMs: 200 }).done;
    expect(out.outcome).toBe("timeout");
    expect(out.error).toMatch(/not online after .* \(last status provisioning\)/);
  });
});
