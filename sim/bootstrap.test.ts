import { describe, expect, it } from "vitest";
import { EMPTY_ERROR, TAIL_CAP_BYTES } from "./bootstrap-report";
import type { Sim, TenantWorkspace } from "./index";
import { call, START, STILL, simsAtStart, tenantHeaders } from "./test-support";

const simAt = simsAtStart();
/** The tests read the latest event: no seeded boot may record one meanwhile (on a loaded machine FAST ones did). */
const sim: typeof simAt = (options = {}) => simAt({ ...options, timing: { ...STILL, ...options.timing } });
const report = (s: Sim, id: string, init: { body?: unknown; rawBody?: string }) =>
  call(s, "POST", `/admin/workspaces/${id}/bootstrap-failed`, { headers: tenantHeaders(s), ...init });
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

describe("POST /admin/workspaces/:id/bootstrap-failed (handlers/workspace_bootstrap.go)", () => {
  it("fails a provisioning workspace once: {ok: true}, the event, last_sample_error; again {ok: true, no_change: true}", async () => {
    const s = await sim();
    const ws = s.state.addWorkspace({ status: "provisioning" });
    const tail = "RUNTIME CRASHED\nKeyError: 'MODEL_API_KEY'";
    const first = await report(s, ws.id, { body: { error: "  runtime crashed during bootstrap\n", log_tail: tail } });
    expect(first).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(s.state.workspace(ws.id)).toMatchObject({
      status: "failed",
      last_sample_error: `runtime crashed during bootstrap\n\n${tail}`,
    });
    const event = s.state.events()[0];
    expect(event).toMatchObject({
      event_type: "WORKSPACE_PROVISION_FAILED",
      workspace_id: ws.id,
      payload: { error: "runtime crashed during bootstrap", log_tail: tail, source: "bootstrap_watcher" },
    });
    expect(Date.parse(event?.created_at ?? "")).toBeGreaterThanOrEqual(START);
    const again = await report(s, ws.id, { body: { error: "again", log_tail: "" } });
    expect(again).toMatchObject({ status: 200, text: '{"no_change":true,"ok":true}' });
    expect(s.state.events()[0]?.id).toBe(event?.id);
  });

  it("changes nothing past provisioning, and answers no_change for an unknown id (never 404)", async () => {
    const s = await sim();
    const ws = s.state.addWorkspace({ status: "online" });
    expect((await report(s, ws.id, { body: { error: "boom", log_tail: "tail" } })).json).toEqual({
      no_change: true,
      ok: true,
    });
    expect(s.state.workspace(ws.id)?.status).toBe("online");
    expect((await report(s, UNKNOWN, { body: { error: "boom" } })).json).toEqual({ no_change: true, ok: true });
  });

  it("answers 400 invalid request body when the body does not bind, and 500 for an id the uuid column refuses", async () => {
    const s = await sim();
    const ws = s.state.addWorkspace({ status: "provisioning" });
    for (const rawBody of ["", '{"error": "e",', "[1]", '"text"', '{"error": 5}', '{"log_tail": ["x"]}']) {
      expect(await report(s, ws.id, { rawBody })).toMatchObject({
        status: 400,
        json: { error: "invalid request body" },
      });
    }
    expect(s.state.workspace(ws.id)?.status).toBe("provisioning");
    expect(await report(s, "nope", { body: { error: "e" } })).toMatchObject({
      status: 500,
      json: { error: "db update failed" },
    });
  });

  it("defaults an empty error, keeps the last 8192 bytes of a long tail after a marker, and caps last_sample_error", async () => {
    const s = await sim();
    const empty = s.state.addWorkspace({ status: "provisioning" });
    await report(s, empty.id, { rawBody: "null" });
    expect(s.state.events()[0]?.payload).toEqual({ error: EMPTY_ERROR, log_tail: "", source: "bootstrap_watcher" });
    expect(EMPTY_ERROR).toBe("bootstrap failed — see log_tail");

    const long = s.state.addWorkspace({ status: "provisioning" });
    const tail = `${"x".repeat(20_000)}\nRUNTIME CRASHED\nKeyError: 'MODEL_API_KEY'`;
    expect((await report(s, long.id, { body: { error: " \t ", log_tail: tail } })).json).toEqual({ ok: true });
    const payload = s.state.events()[0]?.payload as { error: string; log_tail: string };
    expect(payload.error).toBe(EMPTY_ERROR);
    expect(payload.log_tail).toBe(`...(truncated)...\n${tail.slice(-TAIL_CAP_BYTES)}`);
    const stored = s.state.workspace(long.id)?.last_sample_error ?? "";
    expect(Buffer.byteLength(stored)).toBe(TAIL_CAP_BYTES);
    expect(stored.startsWith(`${EMPTY_ERROR}\n\n...(truncated)...\n`)).toBe(true);
  });

  it("answers 500 when the byte cut splits a character (Go slices bytes; Postgres refuses invalid UTF-8)", async () => {
    const s = await sim();
    const ws = s.state.addWorkspace({ status: "provisioning" });
    // 3-byte characters: the last 8192 bytes start inside one.
    const tail = "€".repeat(4000);
    expect(await report(s, ws.id, { body: { error: "boom", log_tail: tail } })).toMatchObject({
      status: 500,
      json: { error: "db update failed" },
    });
    expect(s.state.workspace(ws.id)?.status).toBe("provisioning");
  });
});

describe("GET /workspaces/:id/console (handlers/workspace_bootstrap.go Console)", () => {
  it("proxies the CP console as a string; 502 with the platform's body for a CP error or an unknown workspace", async () => {
    const s = await sim();
    const ws = s.state.workspaces().find((w) => w.status === "online" && w.runtime !== "external") as TenantWorkspace;
    const ok = await call(s, "GET", `/workspaces/${ws.id}/console`, { headers: tenantHeaders(s) });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.json)).toEqual(["output"]);
    expect(ok.json.output).toContain("Workspace agent ready");
    const cpError = { error: "control plane returned an error fetching console output" };
    s.faults.set("cp.console", { kind: "status", status: 500 }, { times: 1 });
    expect(await call(s, "GET", `/workspaces/${ws.id}/console`, { headers: tenantHeaders(s) })).toMatchObject({
      status: 502,
      json: cpError,
    });
    expect((await call(s, "GET", `/workspaces/${ws.id}/console`, { headers: tenantHeaders(s) })).status).toBe(200);
    // Keyed by workspace id, with no existence check: the CP's 404 becomes the tenant's 502.
    expect(await call(s, "GET", `/workspaces/${UNKNOWN}/console`, { headers: tenantHeaders(s) })).toMatchObject({
      status: 502,
      json: cpError,
    });
    const external = s.state.workspaces().find((w) => w.runtime === "external") as TenantWorkspace;
    expect((await call(s, "GET", `/workspaces/${external.id}/console`, { headers: tenantHeaders(s) })).status).toBe(
      502,
    );
  });

  it("answers 501 with the platform's body on a tenant without a control plane", async () => {
    const s = await sim({ cp: false });
    const ws = s.state.workspaces()[0] as TenantWorkspace;
    expect(await call(s, "GET", `/workspaces/${ws.id}/console`, { headers: tenantHeaders(s) })).toMatchObject({
      status: 501,
      json: { error: "console output unavailable on this deployment (no control plane)" },
    });
    expect((await call(s, "GET", `/cp/admin/workspaces/${ws.id}/console`)).status).toBe(404);
  });
});
