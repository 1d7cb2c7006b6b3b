import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Sim, startSim } from "../../sim";
import { FileCredentials } from "../config/file-credentials";
import { answerRequest } from "./dispatch";
import type { OpsService } from "./ops-service";
import { secretsOf, serviceIn } from "./ops-service.testkit";

let dir: string;
let sim: Sim;
let service: OpsService;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "svc-"));
  sim = await startSim({ workspaces: 0, timing: { pendingMs: 20, stoppingMs: 20, provisioningMs: 100 } });
  sim.state.addWorkspace({ status: "online", name: "alpha" });
});
afterEach(async () => {
  await service?.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function make(env: Record<string, string>) {
  service = serviceIn(dir, env);
  return service;
}

const call = (name: string, input: unknown) => answerRequest(service, name, input);

describe("OpsService profiles", () => {
  it("without any profile, says how to add one", async () => {
    make({});
    const r = await call("workspaces.list", {});
    expect(r).toMatchObject({ ok: false, error: { code: "Config" } });
    expect(!r.ok && r.error.message).toMatch(/add one in Settings/);
  });

  it("the environment's profile is read-only; a saved profile works, shows no secret, and can be removed", async () => {
    make({ ...sim.env });
    const listed = await call("profiles.list", {});
    expect(listed).toMatchObject({
      ok: true,
      result: [{ name: "environment", readOnly: true, active: true, hasSecrets: true }],
    });
    expect(
      await call("profiles.save", { profile: { name: "environment", tenantUrl: sim.url, orgId: "x", cpUrl: null } }),
    ).toMatchObject({ ok: false, error: { code: "Input" } });

    const saved = await call("profiles.save", {
      profile: { name: "acme", tenantUrl: sim.url, orgId: sim.env.MOLECULE_ORG_ID, cpUrl: sim.url },
      secrets: secretsOf(sim),
    });
    expect(saved).toMatchObject({ ok: true, result: { name: "acme", hasSecrets: true, readOnly: false } });
    const text = JSON.stringify(await call("profiles.list", {}));
    for (const secret of [sim.env.ADMIN_TOKEN, sim.env.MOLECULE_CP_SHARED_SECRET, sim.env.CP_ADMIN_API_TOKEN]) {
      expect(text).not.toContain(String(secret).slice(0, 8));
    }
    expect(await call("profiles.test", { name: "acme" })).toMatchObject({
      ok: true,
      result: { ok: true, workspaces: 1, cp: "ok" },
    });
    expect(await call("profiles.use", { name: "acme" })).toMatchObject({ ok: true, result: { active: true } });
    await call("sync.run", {});
    const list = await call("workspaces.list", {});
    expect(list.ok && (list.result as { rows: unknown[] }).rows).toHaveLength(1);
    expect(await call("profiles.remove", { name: "acme" })).toMatchObject({ ok: true, result: { removed: true } });
    expect(await new FileCredentials(join(dir, "credentials.json")).get("acme")).toBeNull();
  });

  it("a connection test with a wrong token fails clearly without the token in the message", async () => {
    make({});
    await call("profiles.save", {
      profile: { name: "wrong", tenantUrl: sim.url, orgId: sim.env.MOLECULE_ORG_ID, cpUrl: null },
      secrets: { adminToken: "wrong-token-value-123", provisionSecret: "", adminApiToken: "" },
    });
    const r = await call("profiles.test", { name: "wrong" });
    expect(r).toMatchObject({ ok: true, result: { ok: false, error: { code: "Upstream" } } });
    expect(JSON.stringify(r)).not.toContain("wrong-tok");
  });
});

describe("OpsService restarts (restart.start, restart.cancel, restart.progress)", () => {
  async function follow(id: string) {
    const items: unknown[] = [];
    for await (const item of service.subscribe("restart.progress", { id }, new AbortController().signal)) {
      items.push(item);
    }
    return items as Array<{ phase: string; cancellable: boolean; trail: { step: string }[]; outcome: unknown }>;
  }

  it("the page's grace period: cancellable while waiting, a cancel sends nothing, and the outcome is pushed", async () => {
    make({ ...sim.env });
    await call("sync.run", {});
    const id = sim.state.workspaces()[0]?.id as string;
    expect(await call("restart.start", { id, via: "tenant", graceMs: 60_000 })).toMatchObject({
      ok: true,
      result: { workspace_id: id, via: "tenant", joined: false },
    });
    expect(await call("restart.get", { id })).toMatchObject({
      ok: true,
      result: { state: "running", cancellable: true },
    });
    const items = follow(id);
    expect(await call("restart.cancel", { id })).toEqual({ ok: true, result: { cancelled: true } });
    const pushed = await items;
    expect(pushed[0]).toMatchObject({ phase: "waiting", cancellable: true });
    expect(pushed.at(-1)).toMatchObject({ phase: "cancelled", cancellable: false, outcome: { outcome: "cancelled" } });
    expect(sim.state.requests().filter((r) => r.route === "tenant.restart")).toEqual([]);
    expect(await call("restart.get", { id })).toMatchObject({
      ok: true,
      result: { state: "cancelled", cancellable: false },
    });
  });

  it("a restart over before the page subscribed is replayed to it", async () => {
    make({ ...sim.env });
    await call("sync.run", {});
    const id = sim.state.workspaces()[0]?.id as string;
    await call("restart.start", { id, via: "tenant" });
    await vi.waitFor(async () => {
      const r = await call("restart.get", { id });
      expect(r.ok && (r.result as { state: string }).state).toBe("done");
    }, 20_000);
    const items = await follow(id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ phase: "done", cancellable: false, outcome: { outcome: "done" } });
    expect(items[0]?.trail.map((s) => s.step)).toEqual(expect.arrayContaining(["request", "accepted", "done"]));
  });
});
