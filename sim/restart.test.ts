import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Sim, TenantWorkspace } from "./index";
import {
  adminHeaders,
  call,
  PATIENT,
  provisionHeaders,
  START,
  STILL,
  simsAtStart,
  tenantHeaders,
} from "./test-support";

const sim = simsAtStart();
const restart = (s: Sim, id: string, body?: unknown, query = "") =>
  call(s, "POST", `/workspaces/${id}/restart${query}`, { headers: tenantHeaders(s), body });

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});
async function logFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sim-restart-"));
  dirs.push(dir);
  return join(dir, "server.log");
}
/** The provlog records of the log written after `from` lines. */
function records(path: string, from = 0): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .slice(from)
    .filter((line) => line.includes(" evt: "))
    .map((line) => line.slice(line.indexOf(" evt: ") + 6));
}
const lineCount = (path: string) => readFileSync(path, "utf8").split("\n").length - 1;

function hosted(s: Sim, status: string): TenantWorkspace {
  const ws = s.state.workspaces().find((w) => w.status === status && w.runtime !== "external");
  if (!ws) throw new Error(`no seeded ${status} workspace`);
  return ws;
}

describe("POST /workspaces/:id/restart (handlers/workspace_restart.go)", () => {
  it("answers 200 {status: provisioning, config_dir, reset_session}, then stops the old machine and boots a new one", async () => {
    const log = await logFile();
    // No boot finishes here (neither the seeded one nor the restart's): the state after the
    // answer, the latest event and the log are the restart's alone.
    const s = await sim({ crashRatio: 0, logFile: log, timing: { provisioningMs: 600_000 } });
    const ws = hosted(s, "online");
    const old = s.state.instanceOf(ws.id) as string;
    const before = lineCount(log);
    const res = await restart(s, ws.id);
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"config_dir":"existing-volume","reset_session":false,"status":"provisioning"}');
    expect(s.state.workspace(ws.id)).toMatchObject({ status: "provisioning", url: "" });
    expect(s.state.events()[0]).toMatchObject({
      event_type: "WORKSPACE_PROVISIONING",
      workspace_id: ws.id,
      payload: { name: ws.name, tier: ws.tier, runtime: ws.runtime },
    });
    await vi.waitFor(() => expect(s.state.instanceOf(ws.id)).not.toBe(old), PATIENT);
    const fresh = s.state.instanceOf(ws.id) as string;
    expect(fresh).toMatch(/^i-[0-9a-f]{17}$/);
    expect(["stopping", "terminated"]).toContain(s.state.instance(old)?.state);
    await vi.waitFor(() => expect(records(log, before).length).toBeGreaterThanOrEqual(2), PATIENT);
    // RestartWorkspaceAutoOpts: the Stop leg, then provisionWorkspaceCP. No restart.pre_stop (that is
    // the auto-restart cycle's) and no provision.start (the manual path does not log one).
    expect(records(log, before)).toEqual([
      `provision.ec2_stopped {"instance_id":"${old}","workspace_id":"${ws.id}"}`,
      `provision.ec2_started {"instance_id":"${fresh}","runtime":"${ws.runtime}","state":"pending","tier":${ws.tier},"workspace_id":"${ws.id}"}`,
    ]);
    expect(readFileSync(log, "utf8")).toContain(`CP provisioner: workspace ${ws.id} → EC2 instance ${fresh} (pending)`);

    // The new machine boots and its agent registers, on a sim whose boots (FAST) end within the test.
    const f = await sim({ crashRatio: 0 });
    const booted = hosted(f, "online");
    const before2 = f.state.instanceOf(booted.id);
    expect((await restart(f, booted.id)).status).toBe(200);
    await vi.waitFor(() => expect(f.state.workspace(booted.id)?.status).toBe("online"), PATIENT);
    const next = f.state.instanceOf(booted.id) as string;
    expect(next).not.toBe(before2);
    expect(f.state.workspace(booted.id)?.url).toBe(`http://${f.state.instance(next)?.private_ip}:8000`);
  });

  it("accepts a second restart while provisioning (no coalescing 409), each with its own Stop and Start", async () => {
    const s = await sim({ crashRatio: 0 });
    const ws = hosted(s, "online");
    const first = await restart(s, ws.id);
    const second = await restart(s, ws.id);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json).toEqual({ config_dir: "existing-volume", reset_session: false, status: "provisioning" });
    const provisioning = s.state
      .events()
      .filter(
        (e) =>
          e.workspace_id === ws.id && e.event_type === "WORKSPACE_PROVISIONING" && Date.parse(e.created_at) >= START,
      );
    expect(provisioning).toHaveLength(2);
    await vi.waitFor(
      () => expect(s.state.instances().filter((i) => i.workspace_id === ws.id).length).toBeGreaterThanOrEqual(3),
      PATIENT,
    );
    await vi.waitFor(() => expect(s.state.workspace(ws.id)?.status).toBe("online"), PATIENT);
  });

  it("names the template source in config_dir and echoes reset (body or ?reset=true)", async () => {
    const s = await sim({ crashRatio: 0 });
    const ws = hosted(s, "online");
    expect((await restart(s, ws.id, { template: "support-triage" })).json.config_dir).toBe("support-triage");
    expect((await restart(s, ws.id, { template: "no-such-template" })).json.config_dir).toBe("existing-volume");
    expect((await restart(s, ws.id, { template: "../../etc" })).json.config_dir).toBe("existing-volume");
    expect((await restart(s, ws.id, { apply_template: true })).json.config_dir).toBe(`${ws.runtime}-default`);
    expect((await restart(s, ws.id, { reset: true })).json.reset_session).toBe(true);
    expect((await restart(s, ws.id, undefined, "?reset=true")).json.reset_session).toBe(true);
    expect((await restart(s, ws.id, "not json at all")).json).toMatchObject({
      status: "provisioning",
      reset_session: false,
    });
  });

  it("answers 409 only for a paused ancestor, with the platform's message; the paused parent itself restarts", async () => {
    const s = await sim({ crashRatio: 0 });
    const all = s.state.workspaces();
    const child = all.find((w) => w.status === "paused" && all.find((p) => p.id === w.parent_id)?.status === "paused");
    const parent = all.find((p) => p.id === child?.parent_id) as TenantWorkspace;
    const refused = await restart(s, child?.id ?? "");
    expect(refused.status).toBe(409);
    expect(refused.text).toBe(`{"error":"parent workspace \\"${parent.name}\\" is paused — resume it first"}`);
    expect(s.state.workspace(child?.id ?? "")?.status).toBe("paused");
    expect((await restart(s, parent.id)).status).toBe(200);
    // A grandchild is refused too (isParentPaused walks up).
    const grandchild = s.state.addWorkspace({ status: "offline", parent_id: child?.id ?? null });
    expect((await restart(s, grandchild.id)).json.error).toBe(
      `parent workspace "${child?.name}" is paused — resume it first`,
    );
  });

  it("answers 200 noop for an external workspace and leaves it alone", async () => {
    // Nothing else records an event meanwhile (the seeded boot would, on a loaded machine).
    const s = await sim({ timing: STILL });
    for (const ws of s.state.workspaces().filter((w) => w.runtime === "external")) {
      const events = s.state.events().length;
      const res = await restart(s, ws.id);
      expect(res.status).toBe(200);
      expect(res.text).toBe(
        '{"message":"external workspaces are operator-driven — restart your local poller; platform has nothing to restart","runtime":"external","status":"noop"}',
      );
      expect(s.state.workspace(ws.id)?.status).toBe(ws.status);
      expect(s.state.events()).toHaveLength(events);
    }
  });

  it("answers 404 for an unknown workspace, 500 for an id the uuid column refuses, 503 without a provisioner", async () => {
    const s = await sim();
    expect(await restart(s, "00000000-0000-4000-8000-000000000000")).toMatchObject({
      status: 404,
      json: { error: "workspace not found" },
    });
    expect(await restart(s, "nope")).toMatchObject({ status: 500, json: { error: "lookup failed" } });
    const bare = await sim({ cp: false });
    const ws = hosted(bare, "online");
    expect(await restart(bare, ws.id)).toMatchObject({ status: 503, json: { error: "provisioner not available" } });
    expect(bare.state.workspace(ws.id)?.status).toBe("online");
  });

  it("ends failed (the CP's bootstrap watcher) when the new boot crashes", async () => {
    const s = await sim({ crashRatio: 1 });
    const ws = s.state.addWorkspace({ status: "offline" });
    await restart(s, ws.id);
    await vi.waitFor(() => expect(s.state.workspace(ws.id)?.status).toBe("failed"), PATIENT);
    const failed = s.state.events().find((e) => e.workspace_id === ws.id);
    expect(failed).toMatchObject({
      event_type: "WORKSPACE_PROVISION_FAILED",
      payload: { source: "bootstrap_watcher" },
    });
    expect(failed?.payload.error).toMatch(/^RUNTIME CRASHED: \w+Error: /);
    expect(failed?.payload.log_tail).toContain("RUNTIME CRASHED");
    expect(s.state.workspace(ws.id)?.last_sample_error).toBe(`${failed?.payload.error}\n\n${failed?.payload.log_tail}`);
  });

  it("logs LEAK-SUSPECT when the Stop keeps failing (the UUID binding), and boots a new machine anyway", async () => {
    const log = await logFile();
    const s = await sim({ crashRatio: 0, logFile: log });
    const ws = hosted(s, "online");
    const real = s.state.instanceOf(ws.id) as string;
    s.state.corruptBinding(ws.id);
    expect(s.state.instanceOf(ws.id)).toBe(ws.id);
    const before = lineCount(log);
    await restart(s, ws.id);
    await vi.waitFor(() => expect(s.state.instanceOf(ws.id)).toMatch(/^i-/), PATIENT);
    // The log is flushed once per event-loop turn: it can trail the state by one.
    const text = await vi.waitFor(() => {
      const added = readFileSync(log, "utf8").split("\n").slice(before).join("\n");
      expect(added).toContain("LEAK-SUSPECT cpProv.Stop");
      return added;
    }, PATIENT);
    expect(text).toContain(
      `LEAK-SUSPECT cpProv.Stop workspace_id=${ws.id} source=RestartWorkspaceAuto attempts=3 last_err="cp provisioner: stop ${ws.id}: unexpected 400: {\\"error\\":\\"InvalidInstanceID.Malformed: ${ws.id} is malformed\\"}"`,
    );
    expect(text).not.toContain("provision.ec2_stopped");
    // The machine behind the bad binding was never stopped: the orphan the doctor looks for.
    expect(s.state.instance(real)?.state).toBe("running");
  });
});

describe("the auto-restart cycle (autoRestart: the platform's offline handler)", () => {
  it("brings back a workspace whose machine died: offline, restart.pre_stop, Stop, provision.start {sync: true}, online", async () => {
    const log = await logFile();
    const s = await sim({ crashRatio: 0, autoRestart: true, logFile: log });
    const ws = hosted(s, "online");
    const old = s.state.instanceOf(ws.id) as string;
    const before = lineCount(log);
    // Someone else (the console) stops its machine through the CP.
    await call(s, "DELETE", `/cp/workspaces/${ws.id}?instance_id=${old}`, { headers: provisionHeaders(s) });
    await vi.waitFor(() => expect(s.state.instanceOf(ws.id)).not.toBe(old), PATIENT);
    await vi.waitFor(() => expect(s.state.workspace(ws.id)?.status).toBe("online"), PATIENT);
    const types = s.state
      .events()
      .filter((e) => e.workspace_id === ws.id)
      .slice(0, 3)
      .map((e) => e.event_type);
    expect(types).toEqual(["WORKSPACE_ONLINE", "WORKSPACE_PROVISIONING", "WORKSPACE_OFFLINE"]);
    const fresh = s.state.instanceOf(ws.id);
    await vi.waitFor(() => expect(records(log, before)).toHaveLength(4), PATIENT);
    expect(records(log, before)).toEqual([
      `restart.pre_stop {"backend":"cp","workspace_id":"${ws.id}"}`,
      `provision.ec2_stopped {"instance_id":"${old}","workspace_id":"${ws.id}"}`,
      `provision.start {"name":"${ws.name}","runtime":"${ws.runtime}","sync":true,"template":"","tier":${ws.tier},"workspace_id":"${ws.id}"}`,
      `provision.ec2_started {"instance_id":"${fresh}","runtime":"${ws.runtime}","state":"pending","tier":${ws.tier},"workspace_id":"${ws.id}"}`,
    ]);
  });

  it("is off by default: the workspace stays offline and the tenant keeps the dead instance id", async () => {
    // No boot finishes (the seeded one would record the latest event, on a loaded machine).
    const s = await sim({ crashRatio: 0, timing: { provisioningMs: 600_000 } });
    const ws = hosted(s, "online");
    const old = s.state.instanceOf(ws.id) as string;
    await call(s, "DELETE", `/cp/workspaces/${ws.id}?instance_id=${old}`, { headers: provisionHeaders(s) });
    await vi.waitFor(() => expect(s.state.workspace(ws.id)?.status).toBe("offline"), PATIENT);
    expect(s.state.events()[0]).toMatchObject({ event_type: "WORKSPACE_OFFLINE", payload: {} });
    expect(s.state.instanceOf(ws.id)).toBe(old);
    const consoleRes = await call(s, "GET", `/cp/admin/workspaces/${ws.id}/console`, { headers: adminHeaders(s) });
    expect(consoleRes.json.output).toContain("reboot: Power down");
  });
});
