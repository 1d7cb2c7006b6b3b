import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { OpsError } from "../errors";
import { type OpsWorld, opsWorldsPerTest } from "./ops.testkit";
import { RestartCoordinator, type RestartProgress, type RestartStep, restartProgress } from "./restart";
import { syncTenant } from "./sync";

const world = opsWorldsPerTest();
/** Polled often; a deadline no loaded machine reaches (a boot on the emulator takes ~0.2 s idle). */
const FOLLOW = { pollMs: 15, followTimeoutMs: 20_000 };

/**
 * An online workspace with a running instance, synced into the cache, its instance learnt from
 * the tenant's server log (the tenant API never gives it). The log stamps whole seconds: the
 * workspace is created a little in the past so a restart is never in its binding's second.
 */
async function onlineWorkspace(w: OpsWorld, runtime = "langgraph") {
  const ws = w.sim.state.addWorkspace({ status: "online", runtime, tier: 3 });
  await syncTenant(w.store, w.tenant);
  await w.learnInstances();
  const instance = w.sim.state.instanceOf(ws.id) as string;
  expect(w.store.resolveInstanceId(ws.id)).toBe(instance);
  backdateBinding(w, ws.id);
  return { id: ws.id, instance };
}

/** The binding as if learnt a minute ago: what a real log import gives for a workspace up for a while. */
function backdateBinding(w: OpsWorld, id: string) {
  w.store.db.prepare("UPDATE instance_bindings SET bound_at = bound_at - 60000 WHERE workspace_id = ?").run(id);
}

function coordinator(w: OpsWorld) {
  return new RestartCoordinator({ store: w.store, cp: w.cp, tenant: w.tenant });
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
  it("pre_stop → Stop of the instance on file → the tenant's restart → online; never a CP Start", async () => {
    const w = await world({ workspaces: 0, crashRatio: 0 });
    const { id, instance } = await onlineWorkspace(w);
    const seen: RestartStep[] = [];
    const handle = coordinator(w).restart({ workspaceId: id, via: "cp", ...FOLLOW, onStep: (s) => seen.push(s) });
    const out = await handle.done;

    expect(out).toMatchObject({
      workspace_id: id,
      via: "cp",
      outcome: "done",
      error: null,
      stopped_instance_id: instance,
    });
    const steps = seen.map((s) => s.step);
    expect(steps.slice(0, 5)).toEqual(["pre_stop", "stop", "stopped", "request", "accepted"]);
    expect(steps).toContain("status online");
    // The Stop went to the instance on file, never the workspace UUID; the CP never started one.
    expect(requestsTo(w, "DELETE", "cp.stop")).toHaveLength(1);
    expect(requestsTo(w, "DELETE", "cp.stop")[0]?.url).toContain(`instance_id=${instance}`);
    expect(requestsTo(w, "POST", "cp.provision")).toHaveLength(0);
    expect(requestsTo(w, "POST", "tenant.restart")).toHaveLength(1);
    expect(w.sim.state.instance(instance)?.state).toMatch(/stopping|terminated/);
    // The tenant booted the new instance itself and holds its id: the console has none on file.
    expect(w.sim.state.instanceOf(id)).not.toBe(instance);
    expect(w.store.resolveInstanceId(id)).toBeNull();

    const records = consoleRecords(w, id);
    const events = records.map((r) => r.event);
    expect(events.slice(0, 3)).toEqual(["restart.pre_stop", "provision.ec2_stopped", "restart.requested"]);
    expect(events).toContain("restart.status");
    expect(events.at(-1)).toBe("restart.done");
    expect(records[0]?.fields).toEqual({ workspace_id: id, backend: "cp", instance_id: instance });
    expect(w.store.restarts.latestFor(id)).toMatchObject({ state: "done", via: "cp" });
  });

  it("is refused before any request without an instance on file, and with one the tenant may have replaced", async () => {
    const w = await world({ workspaces: 0 });
    const ws = w.sim.state.addWorkspace({ status: "online" });
    await syncTenant(w.store, w.tenant);
    expect(() => coordinator(w).restart({ workspaceId: ws.id, via: "cp" })).toThrow(
      /needs the instance .* on file.*import the tenant's server log/,
    );
    await w.learnInstances();
    w.store.workspaces.noteProvisioning(ws.id, Date.now() + 60_000);
    expect(() => coordinator(w).restart({ workspaceId: ws.id, via: "cp" })).toThrow(/predates the tenant's last/);
    const sent = w.sim.state.requests().filter((r) => r.route?.startsWith("cp.") || r.route === "tenant.restart");
    expect(sent).toHaveLength(0);
    expect(w.store.restarts.latestFor(ws.id)).toBeNull();
  });

  it("a Stop answered 503 ends the cycle: workspace and status in the error, mapping kept, no tenant restart", async () => {
    const w = await world({ workspaces: 0 });
    const { id, instance } = await onlineWorkspace(w);
    w.sim.faults.set("cp.stop", { kind: "status", status: 503 });
    const out = await coordinator(w).restart({ workspaceId: id, via: "cp", ...FOLLOW }).done;

    expect(out.outcome).toBe("failed");
    expect(out.error).toContain(id);
    expect(out.error).toContain("503");
    expect(w.store.resolveInstanceId(id)).toBe(instance);
    expect(requestsTo(w, "POST", "cp.provision")).toHaveLength(0);
    expect(requestsTo(w, "POST", "tenant.restart")).toHaveLength(0);
    expect(w.sim.state.instance(instance)?.state).toBe("running");
    const records = consoleRecords(w, id);
    expect(records.map((r) => r.event)).toEqual(["restart.pre_stop", "provision.ec2_stop_failed", "restart.failed"]);
    expect(records[1]?.fields).toMatchObject({ workspace_id: id, instance_id: instance, status: 503 });
    expect(records[2]?.fields).toMatchObject({ workspace_id: id, via: "cp", step: "stop" });
    expect(String(records[2]?.fields.error)).toContain("503");
    expect(w.store.restarts.latestFor(id)).toMatchObject({ state: "failed", step: "stop" });
  });

  it("is cancellable before Stop is sent, and not after", async () => {
    const w = await world({ workspaces: 0, crashRatio: 0 });
    const { id, instance } = await onlineWorkspace(w);
    const c = coordinator(w);
    const early = c.restart({ workspaceId: id, via: "cp", ...FOLLOW });
    expect(early.cancel()).toBe(true);
    expect(await early.done).toMatchObject({ outcome: "cancelled" });
    expect(requestsTo(w, "DELETE", "cp.stop")).toHaveLength(0);
    expect(requestsTo(w, "POST", "tenant.restart")).toHaveLength(0);
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
});

describe("one restart a workspace", () => {
  it("a second request with the same method joins; another method is a conflict; so is another process", async () => {
    const w = await world({ workspaces: 0, crashRatio: 0 });
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
    expect(joined).toContain("status online");
    expect(requestsTo(w, "DELETE", "cp.stop")).toHaveLength(1);
    expect(requestsTo(w, "POST", "tenant.restart")).toHaveLength(1);
    expect(requestsTo(w, "POST", "cp.provision")).toHaveLength(0);
    // Once it is over the workspace can be restarted again (via the tenant: its new instance is
    // not on file until the tenant's newer log is imported).
    expect((await c.restart({ workspaceId: id, via: "tenant", ...FOLLOW }).done).outcome).toBe("done");
  });

  it("a restart left running by a process that died shows as interrupted and does not block the next", async () => {
    const w = await world({ workspaces: 0, crashRatio: 0 });
    const { id } = await onlineWorkspace(w);
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid as number;
    w.store.db
      .prepare(
        `INSERT INTO restarts (workspace_id, via, state, step, owner_pid, started_at, updated_at)
         VALUES (?, 'cp', 'running', 'stop', ?, 1, 1)`,
      )
      .run(id, dead);
    expect(w.store.restarts.latestFor(id)).toMatchObject({ state: "interrupted", step: "stop" });
    expect((await coordinator(w).restart({ workspaceId: id, via: "tenant", ...FOLLOW }).done).outcome).toBe("done");
    const states = w.store.db.prepare("SELECT state, step FROM restarts WHERE workspace_id = ? ORDER BY id").all(id);
    expect(states).toEqual([
      { state: "interrupted", step: "stop" },
      { state: "done", step: "status online" },
    ]);
  });
});

describe("restart via tenant", () => {
  it("POST restart, then follows the status until online; the instance on file is no longer taken as current", async () => {
    // The boot is held until the follower has seen it provisioning (a FAST one could end before
    // the first look on a loaded machine), then its agent comes online.
    const w = await world({ workspaces: 0, crashRatio: 0, timing: { provisioningMs: 600_000 } });
    const { id, instance } = await onlineWorkspace(w);
    expect(w.store.workspaces.get(id)?.provisioningAt).toBeNull();
    const onStep = (s: RestartStep) => {
      if (s.step === "status provisioning") w.sim.state.setWorkspaceStatus(id, "online");
    };
    const out = await coordinator(w).restart({ workspaceId: id, via: "tenant", ...FOLLOW, onStep }).done;
    expect(out).toMatchObject({ outcome: "done", via: "tenant", stopped_instance_id: null });
    expect(out.steps.map((s) => s.step)).toEqual(
      expect.arrayContaining(["request", "accepted", "status provisioning", "status online"]),
    );
    expect(requestsTo(w, "POST", "tenant.restart")).toHaveLength(1);
    expect(w.sim.state.requests().filter((r) => r.route?.startsWith("cp."))).toHaveLength(0);
    const events = consoleRecords(w, id).map((r) => r.event);
    expect(events[0]).toBe("restart.requested");
    expect(events).toContain("restart.status");
    expect(events.at(-1)).toBe("restart.done");
    // The tenant replaced the machine: the old id stays on file as history, flagged, until the
    // tenant's newer log says which one runs now.
    const row = w.store.workspaces.get(id);
    expect(row?.instanceId).toBe(instance);
    expect(row?.provisioningAt).not.toBeNull();
    expect(() => coordinator(w).restart({ workspaceId: id, via: "cp" })).toThrow(/predates/);
    await w.learnInstances();
    expect(w.store.resolveInstanceId(id)).toBe(w.sim.state.instanceOf(id));
  });

  it("a boot that crashes ends the restart as failed with the crash line", async () => {
    const w = await world({ workspaces: 0, crashRatio: 1 });
    const { id } = await onlineWorkspace(w);
    const out = await coordinator(w).restart({ workspaceId: id, via: "tenant", ...FOLLOW }).done;
    expect(out.outcome).toBe("failed");
    expect(out.error).toContain("RUNTIME CRASHED");
    expect(consoleRecords(w, id).at(-1)).toMatchObject({ event: "restart.failed" });
  });

  it("an external workspace: the tenant's noop is reported at once and not followed", async () => {
    const w = await world({ workspaces: 0 });
    const ws = w.sim.state.addWorkspace({ status: "online", runtime: "external", name: "operator-agent" });
    await syncTenant(w.store, w.tenant);
    const out = await coordinator(w).restart({ workspaceId: ws.id, via: "tenant", ...FOLLOW }).done;
    expect(out).toMatchObject({ outcome: "noop", error: null });
    expect(out.message).toMatch(/operator-driven/);
    expect(out.steps.map((s) => s.step)).toEqual(["request", "noop"]);
    expect(requestsTo(w, "GET", "tenant.get")).toHaveLength(0);
    expect(consoleRecords(w, ws.id).map((r) => r.event)).toEqual(["restart.requested", "restart.noop"]);
    expect(w.store.restarts.latestFor(ws.id)).toMatchObject({ state: "done", step: "noop" });
  });

  it("a 409 is the platform's own reason (a paused parent), shown as such, and nothing more is sent", async () => {
    const w = await world({ workspaces: 0 });
    const parent = w.sim.state.addWorkspace({ status: "paused", name: "Research Lead" });
    const child = w.sim.state.addWorkspace({ status: "online", parent_id: parent.id });
    await syncTenant(w.store, w.tenant);
    const out = await coordinator(w).restart({ workspaceId: child.id, via: "tenant", ...FOLLOW }).done;
    expect(out).toMatchObject({ outcome: "failed" });
    expect(out.error).toContain("(409)");
    expect(out.error).toContain('parent workspace "Research Lead" is paused');
    expect(out.error).not.toMatch(/already restarting/);
    expect(requestsTo(w, "GET", "tenant.get")).toHaveLength(0);
  });

  it("gives up following at the deadline and says so", async () => {
    const w = await world({ workspaces: 0, timing: { pendingMs: 30, stoppingMs: 30, provisioningMs: 60_000 } });
    const { id } = await onlineWorkspace(w);
    const out = await coordinator(w).restart({ workspaceId: id, via: "tenant", pollMs: 20, followTimeoutMs: 200 }).done;
    expect(out.outcome).toBe("timeout");
    expect(out.error).toMatch(/not online after .* \(last status provisioning\)/);
  });
});

describe("a host that closes (Ctrl-C, a window closed)", () => {
  it("ends a restart being followed, failed and saying so, and one in its grace period cancelled; refuses new ones", async () => {
    // Boots that never end: without close() the follow would poll for its whole 20 s.
    const w = await world({
      workspaces: 0,
      crashRatio: 0,
      timing: { pendingMs: 30, stoppingMs: 30, provisioningMs: 600_000 },
    });
    const followed = await onlineWorkspace(w);
    const waiting = await onlineWorkspace(w);
    const restarts = coordinator(w);
    const sent = restarts.restart({ workspaceId: followed.id, via: "tenant", ...FOLLOW });
    const held = restarts.restart({ workspaceId: waiting.id, via: "tenant", graceMs: 60_000, ...FOLLOW });
    for (const deadline = Date.now() + 20_000; !sent.steps.some((s) => s.step.startsWith("status ")); ) {
      if (Date.now() > deadline) throw new Error("the restart was never followed");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const started = Date.now();
    await restarts.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await sent.done).toMatchObject({
      outcome: "failed",
      error: expect.stringMatching(
        /the host closed while following it; it was sent, and how it ended is not known here/,
      ),
    });
    expect(await held.done).toMatchObject({ outcome: "cancelled", error: "cancelled before anything was sent" });
    expect(requestsTo(w, "POST", "tenant.restart").map((r) => r.path)).toEqual([expect.stringContaining(followed.id)]);
    expect(w.store.restarts.latestFor(followed.id)).toMatchObject({ state: "failed" });
    expect(() => restarts.restart({ workspaceId: waiting.id, via: "tenant" })).toThrow(/the host is closing/);
  });
});

/** Every push of a restart's progress, with what had been sent upstream when it was pushed. */
function watchProgress(w: OpsWorld, handle: ReturnType<RestartCoordinator["restart"]>) {
  const seen: Array<{ progress: RestartProgress; stops: number; restarts: number }> = [];
  handle.onProgress((progress) =>
    seen.push({
      progress,
      stops: requestsTo(w, "DELETE", "cp.stop").length,
      restarts: requestsTo(w, "POST", "tenant.restart").length,
    }),
  );
  return seen;
}

/** Every item a subscriber gets, until the stream ends by itself. */
async function drain(handle: ReturnType<RestartCoordinator["restart"]>): Promise<RestartProgress[]> {
  const items: RestartProgress[] = [];
  for await (const item of restartProgress(handle, new AbortController().signal)) items.push(item);
  return items;
}

describe("the restart's lifecycle (what the UI renders)", () => {
  it("a cancel in the grace period ends it at once with nothing sent, and says so", async () => {
    const w = await world({ workspaces: 0, crashRatio: 0 });
    const { id, instance } = await onlineWorkspace(w);
    const handle = coordinator(w).restart({ workspaceId: id, via: "cp", graceMs: 60_000, ...FOLLOW });
    const waiting = handle.progress();
    expect(waiting).toMatchObject({ workspaceId: id, via: "cp", phase: "waiting", cancellable: true, outcome: null });
    expect(Date.parse(waiting.sendsAt ?? "") - Date.parse(waiting.startedAt)).toBe(60_000);
    expect(waiting.trail.map((s) => s.step)).toEqual(["confirmed"]);
    expect(waiting.trail[0]?.detail).toBe("via cp; the request goes out in 60 s unless cancelled");
    // Well inside the grace period: nothing has been sent, and the restart holds the workspace.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(() => coordinator(w).restart({ workspaceId: id, via: "cp" })).toThrow(/already being restarted/);

    const started = Date.now();
    expect(handle.cancel()).toBe(true);
    const out = await handle.done;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(out).toMatchObject({
      outcome: "cancelled",
      error: "cancelled before anything was sent",
      stopped_instance_id: null,
    });
    const over = handle.progress();
    expect(over).toMatchObject({ phase: "cancelled", cancellable: false, sendsAt: null, step: "confirmed" });
    expect(over.trail.map((s) => [s.step, s.detail])).toEqual([
      ["confirmed", "via cp; the request goes out in 60 s unless cancelled"],
      ["cancelled", "nothing was sent to the tenant or the CP"],
    ]);
    expect(handle.cancel()).toBe(false);
    expect(w.sim.state.requests().filter((r) => r.route?.startsWith("cp.") || r.route === "tenant.restart")).toEqual(
      [],
    );
    expect(w.store.resolveInstanceId(id)).toBe(instance);
    expect(consoleRecords(w, id)).toEqual([
      { event: "restart.cancelled", fields: { workspace_id: id, via: "cp", step: "confirmed" } },
    ]);
    expect(w.store.restarts.latestFor(id)).toMatchObject({ state: "cancelled", step: "confirmed" });
  });

  it("sends nothing before the grace period is over, then goes on as without one", async () => {
    const w = await world({ workspaces: 0, crashRatio: 0 });
    const { id } = await onlineWorkspace(w);
    const handle = coordinator(w).restart({ workspaceId: id, via: "tenant", graceMs: 300, ...FOLLOW });
    const seen = watchProgress(w, handle);
    expect((await handle.done).outcome).toBe("done");
    const steps = handle.progress().trail.map((s) => s.step);
    expect(steps.slice(0, 4)).toEqual(["confirmed", "sent", "request", "accepted"]);
    expect(steps.at(-1)).toBe("done");
    const sent = seen.find((x) => x.progress.trail.at(-1)?.step === "sent");
    expect(sent).toMatchObject({ restarts: 0, progress: { phase: "running", cancellable: true, sendsAt: null } });
    const [confirmed, after] = handle.progress().trail;
    expect(Date.parse(after?.at ?? "") - Date.parse(confirmed?.at ?? "")).toBeGreaterThanOrEqual(300);
    expect(seen.filter((x) => x.progress.phase === "waiting").every((x) => x.restarts === 0)).toBe(true);
  });

  for (const via of ["cp", "tenant"] as const) {
    it(`via ${via}: cancellable turns false exactly when the ${via === "cp" ? "Stop" : "restart request"} is about to be sent`, async () => {
      const w = await world({ workspaces: 0, crashRatio: 0 });
      const { id } = await onlineWorkspace(w);
      const handle = coordinator(w).restart({ workspaceId: id, via, ...FOLLOW });
      let lateCancel: boolean | undefined;
      const seen = watchProgress(w, handle);
      handle.onProgress((p) => {
        if (!p.cancellable && lateCancel === undefined) lateCancel = handle.cancel();
      });
      expect((await handle.done).outcome).toBe("done");
      const first = seen.findIndex((x) => !x.progress.cancellable);
      expect(seen.slice(0, first).every((x) => x.progress.cancellable)).toBe(true);
      expect(seen.slice(first).every((x) => !x.progress.cancellable)).toBe(true);
      const point = seen[first];
      // The step that announced the send is the last one; the send itself has not happened.
      expect(point?.progress.trail.at(-1)?.step).toBe(via === "cp" ? "pre_stop" : "request");
      expect(point).toMatchObject({ stops: 0, restarts: 0, progress: { phase: "running", outcome: null } });
      expect(lateCancel).toBe(false);
      expect(requestsTo(w, via === "cp" ? "DELETE" : "POST", via === "cp" ? "cp.stop" : "tenant.restart")).toHaveLength(
        1,
      );
    });
  }

  it("a cancel at the last moment it is offered (pre_stop) still sends nothing", async () => {
    const w = await world({ workspaces: 0, crashRatio: 0 });
    const { id, instance } = await onlineWorkspace(w);
    const handle = coordinator(w).restart({ workspaceId: id, via: "cp", ...FOLLOW });
    let cancelled: boolean | undefined;
    handle.onProgress((p) => {
      if (p.trail.at(-1)?.step === "pre_stop" && p.cancellable) cancelled = handle.cancel();
    });
    expect(await handle.done).toMatchObject({ outcome: "cancelled" });
    expect(cancelled).toBe(true);
    expect(requestsTo(w, "DELETE", "cp.stop")).toHaveLength(0);
    expect(requestsTo(w, "POST", "tenant.restart")).toHaveLength(0);
    expect(w.store.resolveInstanceId(id)).toBe(instance);
  });

  it("pushes every step and then the outcome to a subscriber, and ends the stream", async () => {
    const w = await world({ workspaces: 0, crashRatio: 0 });
    const { id, instance } = await onlineWorkspace(w);
    const handle = coordinator(w).restart({ workspaceId: id, via: "cp", ...FOLLOW });
    const items = await drain(handle);
    const last = items.at(-1);
    expect(last?.outcome).toMatchObject({ outcome: "done", stopped_instance_id: instance });
    expect(last).toMatchObject({ phase: "done", cancellable: false, step: "status online" });
    expect(items.filter((p) => p.outcome !== null)).toHaveLength(1);
    // Every step was pushed as it happened, each push holding the ones before it.
    const steps = (await handle.done).steps.map((s) => s.step);
    for (const [i, step] of steps.entries()) {
      expect(items.some((p) => p.trail.length === i + 1 && p.trail.at(-1)?.step === step)).toBe(true);
    }
    expect(last?.trail.map((s) => s.step)).toEqual([...steps, "done"]);
  });

  it("a failure is pushed with the step it happened at and its error as the last line", async () => {
    const w = await world({ workspaces: 0 });
    const { id } = await onlineWorkspace(w);
    w.sim.faults.set("cp.stop", { kind: "status", status: 503 });
    const items = await drain(coordinator(w).restart({ workspaceId: id, via: "cp", ...FOLLOW }));
    const last = items.at(-1);
    expect(last).toMatchObject({ phase: "failed", step: "stop", cancellable: false });
    expect(last?.trail.at(-1)).toMatchObject({ step: "failed", detail: last?.outcome?.error });
    expect(last?.outcome?.error).toContain("503");
  });

  it("a restart that is over is replayed to a late subscriber: its last state, then the stream ends", async () => {
    const w = await world({ workspaces: 0 });
    const ws = w.sim.state.addWorkspace({ status: "online", runtime: "external", name: "operator-agent" });
    await syncTenant(w.store, w.tenant);
    const c = coordinator(w);
    const out = await c.restart({ workspaceId: ws.id, via: "tenant", graceMs: 20, ...FOLLOW }).done;
    expect(out.outcome).toBe("noop");
    expect(c.get(ws.id)).toBeUndefined();
    const late = c.latest(ws.id);
    expect(late).toBeDefined();
    const items = await drain(late as NonNullable<typeof late>);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ phase: "noop", cancellable: false, sendsAt: null, outcome: out });
    // A noop's own step says it, in the tenant's words: no second line for the outcome.
    expect(items[0]?.trail.map((s) => s.step)).toEqual(["confirmed", "sent", "request", "noop"]);
    expect(items[0]?.trail.at(-1)?.detail).toBe(out.message);
  });
});
