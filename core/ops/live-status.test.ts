import { afterEach, describe, expect, it } from "vitest";
import { tenantHeaders } from "../../sim/test-support";
import { type LiveChange, LiveStatus, type LiveStatusOptions, type StatusChange } from "./live-status";
import { eventually, type OpsWorld, opsWorldsPerTest } from "./ops.testkit";
import { reportBootstrapFailure } from "./report-bootstrap-failure";
import { shownStatus } from "./shown-status";

const world = opsWorldsPerTest();
/** Wait for something the emulator's timers or the feed bring: a deadline no loaded machine reaches. */
const PATIENT_MS = 20_000;

// Each engine is stopped before its world closes (hooks run in reverse), even when a test failed:
// a live one would go on relisting into a closed store.
let engines: LiveStatus[] = [];
afterEach(async () => {
  await Promise.all(engines.map((e) => e.stop()));
  engines = [];
});

function engine(w: OpsWorld, options: Partial<LiveStatusOptions> = {}): LiveStatus {
  const live = new LiveStatus({
    store: w.store,
    tenant: w.tenant,
    cp: w.cp,
    feed: null,
    // The tests drive sweeps and relists themselves.
    resyncMs: 3_600_000,
    sweepMs: 3_600_000,
    ...options,
  });
  engines.push(live);
  return live;
}

/** Collects what a subscriber receives, in the background. */
function collect(live: LiveStatus): LiveChange[] {
  const got: LiveChange[] = [];
  void (async () => {
    for await (const change of live.subscribe()) got.push(change);
  })();
  return got;
}

function statusOf(w: OpsWorld, id: string) {
  const row = w.store.workspaces.get(id);
  if (!row) throw new Error(`no row ${id}`);
  return shownStatus(row);
}

/** Requests that would change anything upstream (Stop, Start, restart, bootstrap report). */
function actions(w: OpsWorld) {
  return w.sim.state
    .requests()
    .filter((r) => ["cp.stop", "cp.provision", "tenant.restart", "tenant.bootstrap-failed"].includes(r.route ?? ""));
}

describe("status sweep under a CP outage", () => {
  it("marks every checked workspace uncertain since the first failure, none down, and restarts nothing", async () => {
    const w = await world({ workspaces: 0 });
    const ids = Array.from({ length: 30 }, () => w.sim.state.addWorkspace({ status: "online" }).id);
    await w.learnInstances();
    const live = engine(w);
    const got = collect(live);
    await live.start();
    expect(ids.every((id) => statusOf(w, id).status === "online")).toBe(true);

    w.sim.faults.set("cp.status", { kind: "status", status: 503 });
    const first = await live.sweep();
    expect(first).toMatchObject({ checked: 30, uncertain: 30, notRunning: 0 });
    const since = statusOf(w, ids[0] as string).since;
    await live.sweep();
    for (const id of ids) {
      const s = statusOf(w, id);
      expect(s).toMatchObject({ status: "uncertain", source: "cp", since });
      expect(s.detail).toContain("503");
    }
    expect(actions(w)).toHaveLength(0);
    const changes = got.filter((c): c is StatusChange => c.kind === "status" && c.status === "uncertain");
    // One change a workspace: the second failing sweep is not news.
    expect(changes).toHaveLength(30);
    expect(changes[0]).toMatchObject({ previous: "online", source: "cp" });

    // The CP answers again: the doubt is gone, the tenant's word stands.
    w.sim.faults.clear();
    await live.sweep();
    expect(ids.every((id) => statusOf(w, id).status === "online")).toBe(true);
    await live.stop();
  });

  it("reports a definitive stopped instance as offline, from the CP", async () => {
    const w = await world({ workspaces: 0 });
    const ws = w.sim.state.addWorkspace({ status: "online" });
    const instanceId = w.sim.state.instanceOf(ws.id) as string;
    await w.learnInstances();
    const live = engine(w);
    const got = collect(live);
    await live.start();
    w.sim.state.setInstanceState(instanceId, "terminated");
    await live.sweep();
    expect(statusOf(w, ws.id)).toMatchObject({
      status: "offline",
      source: "cp",
      detail: `instance ${instanceId} is terminated`,
    });
    expect(got).toContainEqual(expect.objectContaining({ kind: "status", workspace_id: ws.id, status: "offline" }));
    expect(actions(w)).toHaveLength(0);
    await live.stop();
  });

  it("does not stall on a CP that black-holes connections beyond the configured timeout", async () => {
    const w = await world({ workspaces: 0, cpClient: { timeoutMs: 300 } });
    for (let i = 0; i < 32; i++) w.sim.state.addWorkspace({ status: "online" });
    await w.learnInstances();
    const live = engine(w, { concurrency: 16 });
    await live.start();
    w.sim.faults.set("cp.status", { kind: "blackhole" });
    const report = await live.sweep();
    expect(report).toMatchObject({ checked: 32, uncertain: 32 });
    // Two rounds of 16 lanes, each bounded by the 300 ms deadline (plus scheduling slack).
    expect(report?.ms).toBeLessThan(2 * 300 + 1500);
    await live.stop();
  });
});

describe("instances the tenant replaces on its own", () => {
  it("after the tenant re-provisions, the old instance is neither swept nor evidence; a newer log brings the new one", async () => {
    const w = await world({ workspaces: 0 });
    const ws = w.sim.state.addWorkspace({ status: "online" });
    const old = w.sim.state.instanceOf(ws.id) as string;
    await w.learnInstances();
    const live = engine(w);
    await live.start();
    expect(w.store.workspaces.get(ws.id)).toMatchObject({ instanceId: old });
    // The log stamps whole seconds: a restart in the binding's own second could be the same boot.
    await new Promise((r) => setTimeout(r, 2100));
    // Someone restarts it in the platform's canvas: the tenant stops the old machine and boots
    // another, and says which only in its server log.
    await w.tenant.restart(ws.id);
    await eventually(() => w.sim.state.workspace(ws.id)?.status === "online", PATIENT_MS, "the tenant's restart");
    await eventually(() => w.sim.state.instance(old)?.state === "terminated", PATIENT_MS, "the old instance to stop");
    await live.resync();
    const row = w.store.workspaces.get(ws.id);
    expect(row?.instanceId).toBe(old);
    expect(row?.provisioningAt).not.toBeNull();
    const before = w.sim.state.requests().filter((r) => r.route === "cp.status").length;
    const report = await live.sweep();
    expect(report?.checked).toBe(0);
    expect(w.sim.state.requests().filter((r) => r.route === "cp.status")).toHaveLength(before);
    expect(statusOf(w, ws.id).status).toBe("online");

    await w.learnInstances();
    const fresh = w.sim.state.instanceOf(ws.id);
    expect(fresh).not.toBe(old);
    expect(w.store.workspaces.get(ws.id)?.instanceId).toBe(fresh);
    expect((await live.sweep())?.checked).toBe(1);
    expect(statusOf(w, ws.id).status).toBe("online");
    await live.stop();
  });
});

describe("bootstrap failure", () => {
  // No server log is imported: the console is read by workspace id, so a crash is seen on a
  // workspace whose instance the console does not know (the usual case on a real tenant).
  it("a RUNTIME CRASHED console while provisioning marks it failed with the tail; the report is safe to repeat", async () => {
    const w = await world({
      workspaces: 0,
      crashRatio: 1,
      timing: { pendingMs: 20, stoppingMs: 20, provisioningMs: 1500 },
    });
    const ws = w.sim.state.addWorkspace({ status: "provisioning" });
    const live = engine(w);
    await live.start();
    // The crash shows on the console at 60% of the boot; the platform gives up only at 100%.
    await new Promise((r) => setTimeout(r, 1000));
    await live.sweep();
    const shown = statusOf(w, ws.id);
    expect(shown).toMatchObject({ status: "failed", source: "console" });
    expect(shown.detail).toMatch(/^RUNTIME CRASHED/);
    const health = w.store.workspaces.get(ws.id)?.health;
    expect(Buffer.byteLength(health?.crashTail ?? "")).toBeLessThanOrEqual(8192);
    expect(health?.crashTail).toContain("Traceback");
    expect(w.sim.state.workspace(ws.id)?.status).toBe("provisioning");
    expect(actions(w)).toHaveLength(0);

    expect(w.store.workspaces.get(ws.id)?.instanceId).toBeNull();
    const readConsole = (id: string) => w.cp.console(id);
    const first = await reportBootstrapFailure(w.store, w.tenant, ws.id, { readConsole });
    expect(first).toMatchObject({ workspace_id: ws.id, changed: true, detected: "cache" });
    expect(w.sim.state.workspace(ws.id)?.status).toBe("failed");
    const again = await reportBootstrapFailure(w.store, w.tenant, ws.id, { readConsole });
    expect(again).toMatchObject({ changed: false });
    const events = [...w.store.timeline({ workspaceId: ws.id })].filter((r) => r.source === "console");
    expect(events.map((e) => e.event)).toEqual([
      "bootstrap.failure_detected",
      "bootstrap.failure_reported",
      "bootstrap.failure_reported",
    ]);
    await live.stop();
  });
});

describe("pushed events", () => {
  it("a status change on /ws reaches subscribers with its source, and the store", async () => {
    const w = await world({ workspaces: 0 });
    const ws = w.sim.state.addWorkspace({ status: "online" });
    const live = engine(w, { feed: { baseUrl: w.sim.url, headers: tenantHeaders(w.sim) } });
    const got = collect(live);
    await live.start();
    await eventually(() => live.connectionState.feed === "open", PATIENT_MS, "feed open");
    // The feed's opening relists (events sent while it was down are lost): the change must come
    // after that relist, or the relist may be what brings it (source "sync"). A relist asked for
    // now joins the one in flight and ends after it.
    await live.resync();
    w.sim.state.setWorkspaceStatus(ws.id, "degraded");
    const change = await eventually(
      () => got.find((c) => c.kind === "status" && c.workspace_id === ws.id && c.status === "degraded"),
      PATIENT_MS,
      "degraded change",
    );
    expect(change).toMatchObject({ previous: "online", source: "event" });
    expect(w.store.workspaces.get(ws.id)?.status).toBe("degraded");
    const tenantEvents = [...w.store.timeline({ workspaceId: ws.id })].filter((r) => r.source === "tenant");
    expect(tenantEvents.map((e) => e.event)).toContain("WORKSPACE_DEGRADED");
    await live.stop();
  });

  it("reconnects after the feed drops and relists, so a change made while it was down is not lost", async () => {
    const w = await world({ workspaces: 0 });
    const ws = w.sim.state.addWorkspace({ status: "online" });
    // The first connection drops after 100 ms; the next two attempts are refused.
    w.sim.faults.set("tenant.ws", { kind: "drop", afterMs: 100 }, { times: 1 });
    const live = engine(w, {
      feed: { baseUrl: w.sim.url, headers: tenantHeaders(w.sim), baseDelayMs: 50, maxDelayMs: 200 },
    });
    // As the drop is announced, before the feed's retry timer can fire (a subscriber hears of it
    // in the same turn): the refusals are armed and the change is made while nobody listens.
    let opened = false;
    let dropped = false;
    void (async () => {
      for await (const change of live.subscribe()) {
        if (change.kind !== "connection") continue;
        if (change.feed === "open") opened = true;
        if (!opened || dropped || change.feed !== "waiting") continue;
        dropped = true;
        w.sim.faults.set("tenant.ws", { kind: "status", status: 503 }, { times: 2 });
        w.sim.state.setWorkspaceStatus(ws.id, "offline");
      }
    })();
    await live.start();
    await eventually(() => opened, PATIENT_MS, "feed open");
    await eventually(() => dropped, PATIENT_MS, "feed dropped");
    await eventually(() => w.store.workspaces.get(ws.id)?.status === "offline", PATIENT_MS, "offline");
    // Learnt from the relist on reconnect: the pushed event was sent while nobody listened.
    expect(w.store.workspaces.get(ws.id)?.statusSource).toBe("sync");
    // The feed keeps retrying through the two refusals and opens again.
    const attempts = await eventually(
      () => {
        const a = w.sim.state.requests().filter((r) => r.route === "tenant.ws");
        return a.length >= 4 && live.connectionState.feed === "open" ? a : undefined;
      },
      PATIENT_MS,
      "the feed to reopen",
    );
    expect(attempts.filter((r) => r.status === 503)).toHaveLength(2);
    await live.stop();
  });

  it("with the tenant unreachable, says so and keeps the cached rows", async () => {
    const w = await world({ workspaces: 0 });
    const ws = w.sim.state.addWorkspace({ status: "online" });
    const live = engine(w);
    const got = collect(live);
    await live.start();
    w.sim.faults.set("tenant.list", { kind: "status", status: 503 });
    await live.resync();
    expect(live.connectionState).toMatchObject({ tenant: "unreachable" });
    expect(live.connectionState.error).toContain("503");
    expect(got).toContainEqual(expect.objectContaining({ kind: "connection", tenant: "unreachable" }));
    expect(statusOf(w, ws.id).status).toBe("online");
    await live.stop();
  });
});
