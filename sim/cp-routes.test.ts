import { describe, expect, it, vi } from "vitest";
import { CRASH_MARKER } from "./boot-console";
import type { Sim } from "./index";
import { adminHeaders, call, PATIENT, provisionBody, provisionHeaders, simsAtStart } from "./test-support";

const sim = simsAtStart();

async function provision(s: Sim, workspaceId: string, extra: Record<string, unknown> = {}) {
  return call(s, "POST", "/cp/workspaces/provision", {
    headers: provisionHeaders(s),
    body: provisionBody(s, workspaceId, extra),
  });
}

async function stateOf(s: Sim, workspaceId: string, instanceId: string) {
  return call(s, "GET", `/cp/workspaces/${workspaceId}/status?instance_id=${instanceId}`, {
    headers: provisionHeaders(s),
  });
}

describe("POST /cp/workspaces/provision", () => {
  it("answers exactly 201 with a pending instance that turns running after pendingMs", async () => {
    // Pending for the whole test: the answer and the status check after it both see it.
    const s = await sim({ timing: { pendingMs: 60_000 } });
    const res = await provision(s, "ws-a");
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      instance_id: expect.stringMatching(/^i-[0-9a-f]{17}$/),
      private_ip: expect.any(String),
      state: "pending",
      error: "",
    });
    expect(res.json.private_ip).toMatch(/^10\.0\.\d+\.\d+$/);
    const id = res.json.instance_id as string;
    expect((await stateOf(s, "ws-a", id)).json).toEqual({ state: "pending" });
    // The transition, on a sim whose pendingMs (FAST) ends within the test.
    const f = await sim();
    const running = (await provision(f, "ws-a")).json.instance_id as string;
    await vi.waitFor(
      async () => expect((await stateOf(f, "ws-a", running)).json).toEqual({ state: "running" }),
      PATIENT,
    );
    expect(f.state.instance(running)).toMatchObject({
      workspace_id: "ws-a",
      state: "running",
      runtime: "langgraph",
      tier: 2,
    });
  });

  it("refuses a second instance for a workspace that has a live one (409)", async () => {
    const s = await sim();
    const first = await provision(s, "ws-b");
    const second = await provision(s, "ws-b");
    expect(second.status).toBe(409);
    expect(second.json).toEqual({ error: `workspace already has a running instance ${first.json.instance_id}` });
  });

  it("validates the request: org mismatch 403, bad fields 400, malformed JSON 400", async () => {
    const s = await sim();
    expect(await provision(s, "ws-c", { org_id: "org-other" })).toMatchObject({
      status: 403,
      json: { error: "org mismatch" },
    });
    for (const extra of [
      { tier: 0 },
      { tier: 5 },
      { tier: 2.5 },
      { tier: "2" },
      { runtime: "" },
      { runtime: undefined },
    ]) {
      const res = await provision(s, "ws-c", extra);
      expect(res.status).toBe(400);
      expect(typeof res.json.error).toBe("string");
    }
    expect((await provision(s, "")).status).toBe(400);
    const raw = await call(s, "POST", "/cp/workspaces/provision", { headers: provisionHeaders(s), rawBody: "{nope" });
    expect(raw.status).toBe(400);
    const array = await call(s, "POST", "/cp/workspaces/provision", { headers: provisionHeaders(s), body: [1] });
    expect(array.status).toBe(400);
    expect(s.state.instances().filter((i) => i.workspace_id === "ws-c")).toEqual([]);
  });
});

describe("DELETE /cp/workspaces/{id} and GET .../status", () => {
  it("stops: stopping, then terminated after stoppingMs; deleting again is idempotent", async () => {
    // Stopping for the whole test: the answer and the status check after it both see it.
    const s = await sim({ timing: { stoppingMs: 60_000 } });
    const id = (await provision(s, "ws-d")).json.instance_id as string;
    const del = await call(s, "DELETE", `/cp/workspaces/ws-d?instance_id=${id}`, { headers: provisionHeaders(s) });
    expect(del).toMatchObject({ status: 200, json: { state: "stopping" } });
    expect((await stateOf(s, "ws-d", id)).json).toEqual({ state: "stopping" });
    // The rest on a sim whose stoppingMs (FAST) ends within the test.
    const f = await sim();
    const stopped = (await provision(f, "ws-d")).json.instance_id as string;
    const stop = () =>
      call(f, "DELETE", `/cp/workspaces/ws-d?instance_id=${stopped}`, { headers: provisionHeaders(f) });
    expect(await stop()).toMatchObject({ status: 200, json: { state: "stopping" } });
    await vi.waitFor(
      async () => expect((await stateOf(f, "ws-d", stopped)).json).toEqual({ state: "terminated" }),
      PATIENT,
    );
    const again = await stop();
    expect(again).toMatchObject({ status: 200, json: { state: "terminated" } });
    // A terminated instance is no longer live: the workspace can be provisioned again.
    expect((await provision(f, "ws-d")).status).toBe(201);
  });

  it("answers 400 InvalidInstanceID.Malformed when the workspace UUID is sent as instance_id (the seed's Stop incident)", async () => {
    const s = await sim();
    const uuid = "3f2a9c4e-8b1d-4e7f-9a6b-2c5d8e1f0a3b";
    const del = await call(s, "DELETE", `/cp/workspaces/${uuid}?instance_id=${uuid}`, { headers: provisionHeaders(s) });
    expect(del).toMatchObject({ status: 400, json: { error: `InvalidInstanceID.Malformed: ${uuid} is malformed` } });
    expect((await stateOf(s, uuid, "i-XYZ")).status).toBe(400);
    expect((await stateOf(s, uuid, "i-0123456789abcdef")).status).toBe(400);
    expect((await call(s, "GET", `/cp/workspaces/${uuid}/status`, { headers: provisionHeaders(s) })).status).toBe(400);
  });

  it("answers 404 for an unknown instance and for another workspace's instance", async () => {
    const s = await sim();
    const id = (await provision(s, "ws-e")).json.instance_id as string;
    expect((await stateOf(s, "ws-e", "i-0123abcd")).status).toBe(404);
    expect((await stateOf(s, "ws-e", "i-0123456789abcdef0")).status).toBe(404);
    expect((await stateOf(s, "ws-other", id)).status).toBe(404);
    const del = await call(s, "DELETE", `/cp/workspaces/ws-other?instance_id=${id}`, { headers: provisionHeaders(s) });
    expect(del.status).toBe(404);
    expect(s.state.instance(id)?.state).not.toBe("stopping");
  });

  it("keeps the tenant coherent: a machine for a tenant workspace boots its agent, stopping it takes it offline", async () => {
    const s = await sim({ crashRatio: 0 });
    const ws = s.state.addWorkspace({ status: "offline" });
    expect(s.state.instanceOf(ws.id)).toBeNull();
    const id = (await provision(s, ws.id)).json.instance_id as string;
    // The agent registers with the tenant; the tenant never made this Start, so its database
    // keeps no instance id for it (docs/contracts.md §5: the second-machine hazard).
    await vi.waitFor(() => expect(s.state.workspace(ws.id)?.status).toBe("online"), PATIENT);
    expect(s.state.workspace(ws.id)?.url).toBe(`http://${s.state.instance(id)?.private_ip}:8000`);
    expect(s.state.instanceOf(ws.id)).toBeNull();
    await call(s, "DELETE", `/cp/workspaces/${ws.id}?instance_id=${id}`, { headers: provisionHeaders(s) });
    await vi.waitFor(() => expect(s.state.workspace(ws.id)?.status).toBe("offline"), PATIENT);
  });
});

describe("GET /cp/admin/workspaces/{id}/console", () => {
  it("answers 404 for a workspace that never had an instance", async () => {
    const s = await sim();
    const res = await call(s, "GET", "/cp/admin/workspaces/never/console", { headers: adminHeaders(s) });
    expect(res.status).toBe(404);
  });

  it("grows with time since the instance started and ends with the agent ready", { timeout: 60_000 }, async () => {
    const read = async (s: Sim) =>
      (await call(s, "GET", "/cp/admin/workspaces/ws-f/console", { headers: adminHeaders(s) })).json.output as string;
    // The first read must come before 90% of the boot (the ready line). One request can take
    // longer than a short boot on a loaded machine: a boot that was over by then is tried again,
    // longer, so an idle run stays fast and a loaded one still reads the console early.
    let s = await sim({ crashRatio: 0, timing: { provisioningMs: 400 } });
    await provision(s, "ws-f", { runtime: "crewai" });
    let early = await read(s);
    for (const provisioningMs of [4_000, 20_000]) {
      if (!early.includes("Workspace agent ready")) break;
      s = await sim({ crashRatio: 0, timing: { provisioningMs } });
      await provision(s, "ws-f", { runtime: "crewai" });
      early = await read(s);
    }
    expect(early).toContain("Linux version");
    expect(early).not.toContain("Workspace agent ready");
    await vi.waitFor(async () => expect(await read(s)).toContain("Workspace agent ready"), {
      ...PATIENT,
      timeout: 40_000,
    });
    const late = await read(s);
    expect(late.length).toBeGreaterThan(early.length);
    expect(late.startsWith(early)).toBe(true);
    expect(late).toContain("Starting crewai runtime");
    expect(late).toContain("docker pull");
    expect(late).toContain("cloud-init");
    expect(late).toMatch(/\u001b\[[0-9;]*m/);
    expect(late).not.toContain(CRASH_MARKER);
  });

  it("ends crash boots with RUNTIME CRASHED and a Python traceback", async () => {
    const s = await sim({ crashRatio: 1 });
    const id = (await provision(s, "ws-g")).json.instance_id as string;
    expect(s.state.instance(id)?.crash).toBe(true);
    const read = async () =>
      (await call(s, "GET", "/cp/admin/workspaces/ws-g/console", { headers: adminHeaders(s) })).json.output as string;
    await vi.waitFor(async () => expect(await read()).toContain(CRASH_MARKER), PATIENT);
    const lines = (await read()).trimEnd().split("\r\n");
    const marker = lines.indexOf(CRASH_MARKER);
    expect(marker).toBeGreaterThan(0);
    expect(lines[marker + 1]).toBe("Traceback (most recent call last):");
    expect(lines.slice(marker + 2).some((line) => /^ {2}File ".+", line \d+, in \S+/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/^[A-Za-z]+Error: .+/);
  });
});
