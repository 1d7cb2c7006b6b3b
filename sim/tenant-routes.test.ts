import { describe, expect, it, vi } from "vitest";
import { RUNTIMES, SPEC_STATUSES, UNKNOWN_STATUS } from "./catalog";
import type { Sim, SimEvent, TenantWorkspace } from "./index";
import { LOG_TAIL_BYTES } from "./state";
import { call, simsPerTest, tenantHeaders } from "./test-support";

const sim = simsPerTest();

const get = (s: Sim, path: string) => call(s, "GET", path, { headers: tenantHeaders(s) });
const post = (s: Sim, path: string, body?: unknown) => call(s, "POST", path, { headers: tenantHeaders(s), body });
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIME_FIELDS = ["created_at", "updated_at", "uptime_seconds"] as const;
const withoutTimes = (list: TenantWorkspace[]) =>
  list.map((ws) =>
    Object.fromEntries(Object.entries(ws).filter(([key]) => !(TIME_FIELDS as readonly string[]).includes(key))),
  );

describe("GET /workspaces", () => {
  it("serves a realistic tenant: every field, SPEC statuses, one unknown status, runtimes, tiers, parents", async () => {
    const s = await sim({ workspaces: 40 });
    const res = await get(s, "/workspaces");
    expect(res.status).toBe(200);
    const list = res.json as TenantWorkspace[];
    expect(list).toHaveLength(40);
    const ids = new Set(list.map((ws) => ws.id));
    const instances = new Map(s.state.instances().map((i) => [i.instance_id, i]));
    for (const ws of list) {
      expect(Object.keys(ws).sort()).toEqual(
        [
          "id",
          "name",
          "role",
          "tier",
          "status",
          "url",
          "parent_id",
          "runtime",
          "active_tasks",
          "last_error_rate",
          "last_sample_error",
          "uptime_seconds",
          "current_task",
          "instance_id",
          "created_at",
          "updated_at",
        ].sort(),
      );
      expect(ws.id).toMatch(UUID_V4);
      expect(RUNTIMES).toContain(ws.runtime);
      expect(ws.tier).toBeGreaterThanOrEqual(1);
      expect(ws.tier).toBeLessThanOrEqual(4);
      if (ws.parent_id !== null) expect(ids.has(ws.parent_id)).toBe(true);
      if (["online", "degraded", "provisioning"].includes(ws.status)) {
        expect(["running", "pending"]).toContain(instances.get(ws.instance_id ?? "")?.state);
      } else {
        expect(ws.instance_id).toBeNull();
      }
    }
    const statuses = list.map((ws) => ws.status);
    expect(statuses.filter((status) => status === UNKNOWN_STATUS)).toHaveLength(1);
    expect((SPEC_STATUSES as readonly string[]).includes(UNKNOWN_STATUS)).toBe(false);
    for (const status of ["online", "provisioning", "failed", "degraded", "hibernated", "awaiting_agent"]) {
      expect(statuses).toContain(status);
    }
    const counts = new Map<string, number>();
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
    expect(counts.get("online")).toBe(Math.max(...counts.values()));
    expect(list.some((ws) => ws.parent_id !== null)).toBe(true);
    expect(list.find((ws) => ws.status === "online")?.uptime_seconds).toBeGreaterThan(0);
  });

  it("is deterministic for a seed and differs across seeds", async () => {
    const [a, b, c] = await Promise.all([sim({ seed: 7 }), sim({ seed: 7 }), sim({ seed: 8 })]);
    const [la, lb, lc] = await Promise.all([a, b, c].map(async (s) => (await get(s as Sim, "/workspaces")).json));
    expect(withoutTimes(la)).toEqual(withoutTimes(lb));
    expect(withoutTimes(la)).not.toEqual(withoutTimes(lc));
    expect(la.some((ws: TenantWorkspace) => ws.status === UNKNOWN_STATUS)).toBe(true);
  });

  it("GET /workspaces/:id answers the object or 404", async () => {
    const s = await sim();
    const ws = s.state.workspaces()[3] as TenantWorkspace;
    const res = await get(s, `/workspaces/${ws.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: ws.id, name: ws.name, status: ws.status });
    expect((await get(s, "/workspaces/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});

describe("POST /workspaces/:id/restart", () => {
  it("goes provisioning (409 while it is), replaces the instance, then comes online with events", async () => {
    const s = await sim({ crashRatio: 0 });
    const ws = s.state.addWorkspace({ status: "online" });
    const old = ws.instance_id as string;
    expect(await post(s, `/workspaces/${ws.id}/restart`)).toMatchObject({
      status: 200,
      json: { status: "provisioning" },
    });
    expect(await post(s, `/workspaces/${ws.id}/restart`)).toMatchObject({
      status: 409,
      json: { error: "already restarting" },
    });
    const during = s.state.workspace(ws.id);
    expect(during?.status).toBe("provisioning");
    expect(during?.instance_id).not.toBe(old);
    expect(s.state.instance(old)?.state).toBe("stopping");
    await vi.waitFor(() => expect(s.state.workspace(ws.id)?.status).toBe("online"), { timeout: 2000 });
    expect(s.state.instance(old)?.state).toBe("terminated");
    expect(s.state.instance(during?.instance_id ?? "")?.state).toBe("running");
    const events = ((await get(s, "/events")).json as SimEvent[]).filter((e) => e.workspace_id === ws.id);
    expect(events.map((e) => e.event_type)).toEqual(["WORKSPACE_ONLINE", "WORKSPACE_PROVISIONING"]);
  });

  it("ends failed with the crash when the boot crashes", async () => {
    const s = await sim({ crashRatio: 1 });
    const ws = s.state.addWorkspace({ status: "offline" });
    await post(s, `/workspaces/${ws.id}/restart`);
    await vi.waitFor(() => expect(s.state.workspace(ws.id)?.status).toBe("failed"), { timeout: 2000 });
    expect(s.state.workspace(ws.id)?.last_sample_error).toMatch(/^RUNTIME CRASHED: \w+Error: /);
    const failed = s.state.events().find((e) => e.workspace_id === ws.id);
    expect(failed).toMatchObject({ event_type: "WORKSPACE_PROVISION_FAILED", payload: { source: "provisioner" } });
    expect(failed?.payload.log_tail).toContain("RUNTIME CRASHED");
  });

  it("answers 404 for an unknown workspace", async () => {
    const s = await sim();
    expect((await post(s, "/workspaces/nope/restart")).status).toBe(404);
  });
});

describe("GET /workspaces/:id/console", () => {
  it("proxies the CP console; 502 while cp.console has a fault; 501 without a control plane", async () => {
    const s = await sim();
    const ws = s.state.workspaces().find((w) => w.status === "online") as TenantWorkspace;
    const ok = await get(s, `/workspaces/${ws.id}/console`);
    expect(ok.status).toBe(200);
    expect(ok.json.output).toContain("Workspace agent ready");
    s.faults.set("cp.console", { kind: "status", status: 500 }, { times: 1 });
    expect((await get(s, `/workspaces/${ws.id}/console`)).status).toBe(502);
    expect((await get(s, `/workspaces/${ws.id}/console`)).status).toBe(200);
    expect((await get(s, "/workspaces/nope/console")).status).toBe(404);

    const bare = await sim({ cp: false });
    const bareWs = bare.state.workspaces()[0] as TenantWorkspace;
    expect(await get(bare, `/workspaces/${bareWs.id}/console`)).toMatchObject({
      status: 501,
      json: { error: "no control plane" },
    });
    expect((await call(bare, "GET", `/cp/admin/workspaces/${bareWs.id}/console`)).status).toBe(404);
  });
});

describe("GET /events", () => {
  it("serves at most the latest 100, newest first, with seeded history", async () => {
    const s = await sim({ workspaces: 60 });
    const res = await get(s, "/events");
    const events = res.json as SimEvent[];
    expect(events).toHaveLength(100);
    for (const [index, event] of events.entries()) {
      expect(Object.keys(event).sort()).toEqual(["created_at", "event_type", "id", "payload", "workspace_id"]);
      expect(event.event_type).toMatch(/^WORKSPACE_[A-Z_]+$/);
      const next = events[index + 1];
      if (next) expect(event.created_at >= next.created_at).toBe(true);
    }
  });

  it("announces new events to subscribers (the future /ws feed)", async () => {
    const s = await sim();
    const seen: SimEvent[] = [];
    const off = s.state.onEvent((event) => seen.push(event));
    const ws = s.state.workspaces()[0] as TenantWorkspace;
    s.state.setWorkspaceStatus(ws.id, "paused");
    off();
    s.state.setWorkspaceStatus(ws.id, "hibernated");
    expect(seen.map((e) => [e.event_type, e.workspace_id])).toEqual([["WORKSPACE_PAUSED", ws.id]]);
    expect((await get(s, "/events")).json[0]).toMatchObject({
      event_type: "WORKSPACE_HIBERNATED",
      workspace_id: ws.id,
    });
  });
});

describe("POST /admin/workspaces/:id/bootstrap-failed", () => {
  it("fails a provisioning workspace once, keeps at most 8 KiB of the tail, and is idempotent", async () => {
    const s = await sim();
    const ws = s.state.addWorkspace({ status: "provisioning" });
    const tail = `${"x".repeat(20_000)}\nRUNTIME CRASHED\nKeyError: 'MODEL_API_KEY'`;
    const path = `/admin/workspaces/${ws.id}/bootstrap-failed`;
    const first = await post(s, path, { error: "runtime crashed during bootstrap", log_tail: tail });
    expect(first).toMatchObject({ status: 200, json: { status: "failed", changed: true } });
    const stored = s.state.workspace(ws.id)?.last_sample_error ?? "";
    expect(stored.startsWith("runtime crashed during bootstrap\n")).toBe(true);
    const keptTail = stored.slice("runtime crashed during bootstrap\n".length);
    expect(Buffer.byteLength(keptTail)).toBe(LOG_TAIL_BYTES);
    expect(tail.endsWith(keptTail)).toBe(true);
    const event = s.state.events()[0];
    expect(event).toMatchObject({
      event_type: "WORKSPACE_PROVISION_FAILED",
      workspace_id: ws.id,
      payload: { error: "runtime crashed during bootstrap", log_tail: keptTail, source: "bootstrap_watcher" },
    });
    const again = await post(s, path, { error: "again", log_tail: "" });
    expect(again).toMatchObject({ status: 200, json: { status: "failed", changed: false } });
    expect(s.state.events()[0]?.id).toBe(event?.id);
  });

  it("does not touch a workspace that is not provisioning; 404 unknown; 400 without an error", async () => {
    const s = await sim();
    const ws = s.state.addWorkspace({ status: "online" });
    const res = await post(s, `/admin/workspaces/${ws.id}/bootstrap-failed`, { error: "boom", log_tail: "tail" });
    expect(res.json).toEqual({ status: "online", changed: false });
    expect(s.state.workspace(ws.id)?.status).toBe("online");
    expect((await post(s, "/admin/workspaces/nope/bootstrap-failed", { error: "boom" })).status).toBe(404);
    expect((await post(s, `/admin/workspaces/${ws.id}/bootstrap-failed`, { log_tail: "t" })).status).toBe(400);
  });
});
