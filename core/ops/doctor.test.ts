import { describe, expect, it } from "vitest";
import { TenantClient } from "../tenant/tenant-client";
import { diagnose } from "./doctor";
import { actOnFinding } from "./doctor-actions";
import { eventually, type OpsWorld, opsWorldsPerTest } from "./ops.testkit";
import { RestartCoordinator } from "./restart";
import { sweepStatus } from "./status-sweep";
import { syncTenant } from "./sync";

const world = opsWorldsPerTest();

/**
 * A seeded tenant of a few hundred workspaces, settled (no boot in flight), synced, and its
 * server log imported: the only way the console learns instance ids from a real tenant.
 */
async function healthyTenant(): Promise<OpsWorld> {
  const w = await world({
    workspaces: 300,
    crashRatio: 0,
    timing: { pendingMs: 20, stoppingMs: 20, provisioningMs: 60 },
  });
  // Settled: the seeded boots (60 ms, longer on a loaded machine) are over.
  await eventually(
    () => w.sim.state.workspaces().every((x) => x.status !== "provisioning"),
    20_000,
    "the seeded boots to end",
  );
  await syncTenant(w.store, w.tenant);
  await w.learnInstances();
  return w;
}

/** Online workspaces with an instance, and that instance. */
function online(w: OpsWorld, n: number) {
  return w.sim.state
    .workspaces()
    .filter((x) => x.status === "online" && w.sim.state.instanceOf(x.id))
    .slice(0, n)
    .map((x) => ({ id: x.id, instance: w.sim.state.instanceOf(x.id) as string }));
}

describe("doctor", () => {
  it("finds nothing on a healthy tenant, and nothing during a CP outage", async () => {
    const w = await healthyTenant();
    const healthy = await diagnose({ store: w.store, tenant: w.tenant, cp: w.cp });
    expect(healthy.findings).toEqual([]);
    expect(healthy.workspaces).toBe(300);
    // An outage makes checks uncertain, and uncertainty is not evidence.
    const [gone] = online(w, 1);
    w.sim.state.removeLeavingInstance(gone!.id);
    w.sim.faults.set("cp.status", { kind: "status", status: 503 });
    const outage = await diagnose({ store: w.store, tenant: w.tenant, cp: w.cp });
    expect(outage.findings).toEqual([]);
    expect(outage.checks_uncertain).toBeGreaterThan(0);
  });

  it("finds exactly one problem of each kind among 300 healthy workspaces, and each action works and is recorded", async () => {
    const w = await healthyTenant();
    const [a, b, c, d] = online(w, 4);
    w.sim.state.removeLeavingInstance(a!.id); // orphan instance
    // Malformed binding: a CP Start that answered the workspace's UUID as its instance id, which
    // the tenant logged and the console learns from that log.
    w.sim.state.corruptBinding(b!.id);
    await w.learnInstances();
    expect(w.store.resolveInstanceId(b!.id)).toBe(b!.id);
    const stuck = w.sim.state.addStuckBoot(15, { name: "stuck-one", runtime: "langgraph" }); // crashed 15 min ago
    // A Stop that failed (503) during a restart, nothing since.
    w.sim.faults.set("cp.stop", { kind: "status", status: 503 }, { times: 1 });
    const restarts = new RestartCoordinator({ store: w.store, cp: w.cp, tenant: w.tenant });
    expect((await restarts.restart({ workspaceId: c!.id, via: "cp" }).done).outcome).toBe("failed");
    // Status checks of one workspace failing for a while.
    w.sim.state.breakStatus(d!.instance);
    const onlyD = [{ workspaceId: d!.id }];
    await sweepStatus(w.cp, onlyD, {
      onResult: (r) =>
        w.store.health.recordChecks(
          [{ workspaceId: r.workspaceId, instanceId: r.instanceId, state: null, error: r.error?.message ?? "?" }],
          Date.now() - 20 * 60_000,
        ),
    });

    const started = performance.now();
    const report = await diagnose({ store: w.store, tenant: w.tenant, cp: w.cp });
    const ms = performance.now() - started;
    const got = report.findings.map((f) => [f.kind, f.workspace_id]).sort();
    expect(got).toEqual(
      [
        ["orphan_instance", a!.id],
        ["malformed_binding", b!.id],
        ["stuck_provisioning", stuck.id],
        ["failed_stop", c!.id],
        ["uncertain", d!.id],
      ].sort(),
    );
    const byKind = Object.fromEntries(report.findings.map((f) => [f.kind, f]));
    expect(byKind.orphan_instance).toMatchObject({
      severity: "critical",
      instance_id: a!.instance,
      action: { kind: "stop_instance" },
    });
    expect(byKind.stuck_provisioning).toMatchObject({
      severity: "critical",
      action: { kind: "report_bootstrap_failure" },
    });
    expect(
      byKind.stuck_provisioning?.evidence.some((e) => e.source === "console" && e.text.startsWith("RUNTIME CRASHED")),
    ).toBe(true);
    expect(byKind.malformed_binding).toMatchObject({ action: { kind: "close_binding" } });
    expect(byKind.malformed_binding?.evidence[0]?.text).toContain("the workspace's own UUID");
    expect(byKind.failed_stop?.evidence[0]?.text).toContain("503");
    expect(ms).toBeLessThan(10_000);

    const readConsole = (id: string) => w.cp.console(id);
    const deps = { store: w.store, tenant: w.tenant, cp: w.cp, restarts, readConsole };
    // Orphan: stopped by its instance id.
    await actOnFinding(byKind.orphan_instance!, deps);
    await new Promise((r) => setTimeout(r, 80));
    expect(w.sim.state.instance(a!.instance)?.state).toMatch(/stopping|terminated/);
    // Malformed binding: closed (the tenant API has no ids to re-sync from), with the way to the real one.
    const closed = await actOnFinding(byKind.malformed_binding!, deps);
    expect(closed.detail).toMatch(/import the tenant's server log/);
    expect(w.store.resolveInstanceId(b!.id)).toBeNull();
    // Stuck boot: reported to the tenant, which fails it.
    await actOnFinding(byKind.stuck_provisioning!, deps);
    expect(w.sim.state.workspace(stuck.id)?.status).toBe("failed");
    // Failed stop: restarted via cp (Stop again, then the tenant's restart; never a CP Start).
    await actOnFinding(byKind.failed_stop!, deps, "cp");
    expect(w.sim.state.requests().filter((r) => r.route === "cp.provision")).toHaveLength(0);
    const actions = [...w.store.timeline({ events: ["doctor.action"] })].map((r) => JSON.parse(r.fields));
    expect(actions.map((x) => [x.finding, x.done])).toEqual([
      ["orphan_instance", true],
      ["malformed_binding", true],
      ["stuck_provisioning", true],
      ["failed_stop", true],
    ]);

    // After the actions, only what was not fixed remains.
    w.sim.state.breakStatus(d!.instance, false);
    const after = await diagnose({ store: w.store, tenant: w.tenant, cp: w.cp });
    expect(after.findings.map((f) => f.kind).sort()).toEqual(["uncertain"]);
  }, 30_000);
});

describe("doctor with a wrong org id", () => {
  it("stops with the configuration error instead of diagnosing around an 'unreachable' tenant", async () => {
    const w = await world({ workspaces: 3 });
    const wrong = new TenantClient({ baseUrl: w.sim.url, adminToken: w.sim.env.ADMIN_TOKEN ?? "", orgId: "org-other" });
    try {
      await expect(diagnose({ store: w.store, tenant: wrong, cp: w.cp })).rejects.toMatchObject({
        code: "Config",
        message: expect.stringMatching(/MOLECULE_ORG_ID.*MOLECULE_TENANT_URL/),
      });
    } finally {
      await wrong.close();
    }
  });
});
