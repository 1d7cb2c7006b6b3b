import { describe, expect, it, vi } from "vitest";
import type { Sim, SimOptions } from "./index";
import {
  adminHeaders,
  call,
  orgHeaders,
  PATIENT,
  provisionBody,
  provisionHeaders,
  simsAtStart,
  tenantHeaders,
} from "./test-support";

const simFor = simsAtStart();
const sim = (options: SimOptions = {}) => simFor({ crashRatio: 0, ...options });

/** A running instance and the status URL the seed's IsRunning would call. */
async function running(s: Sim): Promise<{ id: string; path: string }> {
  const res = await call(s, "POST", "/cp/workspaces/provision", {
    headers: provisionHeaders(s),
    body: provisionBody(s, "ws-f"),
  });
  const id = res.json.instance_id as string;
  return { id, path: `/cp/workspaces/ws-f/status?instance_id=${id}` };
}

function onlineConsolePath(s: Sim): string {
  return `/cp/admin/workspaces/${s.state.workspaces().find((w) => w.status === "online")?.id}/console`;
}

describe("fault kinds", () => {
  it("status: answers that status with a JSON error, or the given body verbatim", async () => {
    const s = await sim();
    const { path } = await running(s);
    s.faults.set("cp.status", { kind: "status", status: 503 });
    const res = await call(s, "GET", path, { headers: provisionHeaders(s) });
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ error: "sim fault: status 503" });
    s.faults.set("cp.status", {
      kind: "status",
      status: 500,
      body: "upstream said: Authorization: Bearer sk-live-FAKE",
    });
    const leaky = await call(s, "GET", path, { headers: provisionHeaders(s) });
    expect(leaky).toMatchObject({ status: 500, text: "upstream said: Authorization: Bearer sk-live-FAKE" });
    expect(leaky.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("status: a failed provision has no side effect", async () => {
    const s = await sim();
    s.faults.set("cp.provision", { kind: "status", status: 500 });
    const res = await call(s, "POST", "/cp/workspaces/provision", {
      headers: provisionHeaders(s),
      body: provisionBody(s, "x"),
    });
    expect(res.status).toBe(500);
    expect(s.state.instances().some((i) => i.workspace_id === "x")).toBe(false);
  });

  it("slow: answers normally after the delay", async () => {
    const s = await sim();
    s.faults.set("tenant.list", { kind: "slow", delayMs: 200 });
    const started = Date.now();
    const res = await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(12);
  });

  it("blackhole: the client times out, and close() still returns promptly", async () => {
    const s = await sim();
    const { path } = await running(s);
    s.faults.set("cp.status", { kind: "blackhole" });
    const request = call(s, "GET", path, { headers: provisionHeaders(s), signal: AbortSignal.timeout(250) });
    await expect(request).rejects.toMatchObject({ name: "TimeoutError" });
    const parked = fetch(`${s.url}${path}`, { headers: provisionHeaders(s) }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(s.state.requests().filter((r) => r.route === "cp.status")).toHaveLength(2), PATIENT);
    const closing = Date.now();
    await s.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(await parked).toBeInstanceOf(Error);
    expect(
      s.state
        .requests()
        .filter((r) => r.route === "cp.status")
        .map((r) => r.status),
    ).toEqual([0, 0]);
  });

  it("oversized: stops writing when the client goes away, far below the requested size", async () => {
    const s = await sim();
    const requested = 1024 ** 3;
    s.faults.set("cp.console", { kind: "oversized", bytes: requested });
    const controller = new AbortController();
    const res = await fetch(`${s.url}${onlineConsolePath(s)}`, { headers: adminHeaders(s), signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    while (received < 256 * 1024) received += (await reader.read()).value?.length ?? 0;
    controller.abort();
    const record = () => s.state.requests().find((r) => r.route === "cp.console");
    await vi.waitFor(() => expect(record()?.done).toBe(true), PATIENT);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const written = record()?.bytes ?? 0;
    expect(written).toBeGreaterThanOrEqual(received);
    expect(written).toBeLessThan(requested / 16);
  });

  it("oversized: json-string, padded-json and garbage shapes", async () => {
    const s = await sim();
    const path = onlineConsolePath(s);
    const normalRes = await call(s, "GET", path, { headers: adminHeaders(s) });
    const normal = normalRes.json;
    s.faults.set("cp.console", { kind: "oversized", bytes: 300_000, shape: "json-string" });
    const stringShape = await call(s, "GET", path, { headers: adminHeaders(s) });
    expect(stringShape.json.output).toHaveLength(300_000);
    s.faults.set("cp.console", { kind: "oversized", bytes: 300_000, shape: "padded-json" });
    const padded = await call(s, "GET", path, { headers: adminHeaders(s) });
    expect(padded.text.length).toBe(normalRes.text.length + 300_000);
    expect(padded.json).toEqual(normal);
    s.faults.set("cp.console", { kind: "oversized", bytes: 300_000, shape: "garbage" });
    const garbage = await call(s, "GET", path, { headers: adminHeaders(s) });
    expect(garbage.status).toBe(200);
    expect(garbage.json).toBeUndefined();
  });

  it("malformed: 200 with a truncated prefix of the real answer", async () => {
    // The instance stays pending, so the real answer is known (a FAST one may be running by then).
    const s = await sim({ timing: { pendingMs: 60_000 } });
    const { path } = await running(s);
    s.faults.set("cp.status", { kind: "malformed" });
    const res = await call(s, "GET", path, { headers: provisionHeaders(s) });
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined();
    expect('{"state":"pending"}'.startsWith(res.text)).toBe(true);
    expect(res.text.startsWith('{"state":')).toBe(true);
  });

  it("unauthorized: 401 even with the right credentials, in the words of the route's own gate", async () => {
    const s = await sim();
    s.faults.set("tenant.list", { kind: "unauthorized" });
    const res = await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) });
    expect(res).toMatchObject({ status: 401, json: { error: "invalid admin auth token" } });
    s.faults.set("tenant.restart", { kind: "unauthorized" }, { times: 1 });
    const ws = s.state.workspaces()[0]?.id;
    expect((await call(s, "POST", `/workspaces/${ws}/restart`, { headers: tenantHeaders(s) })).json).toEqual({
      error: "invalid workspace auth token",
    });
    s.faults.set("cp.status", { kind: "unauthorized" }, { times: 1 });
    const { path } = await running(s);
    expect((await call(s, "GET", path, { headers: provisionHeaders(s) })).json).toEqual({ error: "unauthorized" });
  });

  it("status 429: the platform's rate-limit answer, Retry-After included, `times` times", async () => {
    const s = await sim();
    s.faults.set("tenant.list", { kind: "status", status: 429 }, { times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) });
      expect(res.status).toBe(429);
      expect(res.text).toBe('{"error":"rate limit exceeded","retry_after":1}');
      expect(res.headers.get("retry-after")).toBe("1");
      expect(res.headers.get("x-ratelimit-limit")).toBe("600");
      expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(res.headers.get("x-ratelimit-reset")).toBe("1");
    }
    expect((await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) })).status).toBe(200);
    s.faults.set("tenant.events", { kind: "status", status: 429, retryAfter: 7 });
    const slow = await call(s, "GET", "/events", { headers: tenantHeaders(s) });
    expect(slow.headers.get("retry-after")).toBe("7");
    expect(slow.json).toEqual({ error: "rate limit exceeded", retry_after: 7 });
    expect(() => s.faults.set("tenant.list", { kind: "status", status: 503, retryAfter: 2 })).toThrow(
      /only goes with status 429/,
    );
  });

  it("reset: the connection dies without an answer", async () => {
    const s = await sim();
    const { id } = await running(s);
    s.faults.set("cp.stop", { kind: "reset" });
    const request = call(s, "DELETE", `/cp/workspaces/ws-f?instance_id=${id}`, { headers: provisionHeaders(s) });
    await expect(request).rejects.toThrow();
    expect(s.state.instance(id)?.state).not.toBe("stopping");
  });

  it("drop: the connection dies afterMs after the request, unanswered", async () => {
    const s = await sim();
    const { path } = await running(s);
    s.faults.set("cp.status", { kind: "drop", afterMs: 80 });
    const started = Date.now();
    await expect(call(s, "GET", path, { headers: provisionHeaders(s) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    await vi.waitFor(
      () => expect(s.state.requests().find((r) => r.route === "cp.status")).toMatchObject({ status: 0, done: true }),
      PATIENT,
    );
  });
});

describe("fault controller", () => {
  it("applies a fault `times` times, then clears it", async () => {
    const s = await sim();
    const { id } = await running(s);
    s.faults.set("cp.stop", { kind: "status", status: 503 }, { times: 2 });
    expect(s.faults.list()).toEqual([{ route: "cp.stop", fault: { kind: "status", status: 503 }, remaining: 2 }]);
    const stop = () => call(s, "DELETE", `/cp/workspaces/ws-f?instance_id=${id}`, { headers: provisionHeaders(s) });
    expect((await stop()).status).toBe(503);
    expect(s.faults.list()[0]?.remaining).toBe(1);
    expect((await stop()).status).toBe(503);
    expect(s.faults.list()).toEqual([]);
    expect((await stop()).status).toBe(200);
  });

  it("only counts requests that passed the org guard and auth", async () => {
    const s = await sim();
    s.faults.set("tenant.list", { kind: "status", status: 500 }, { times: 1 });
    expect((await call(s, "GET", "/workspaces")).status).toBe(404);
    expect((await call(s, "GET", "/workspaces", { headers: orgHeaders(s) })).status).toBe(401);
    expect((await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) })).status).toBe(500);
    expect((await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) })).status).toBe(200);
  });

  it("clears one route or all, and refuses unknown routes and bad faults", async () => {
    const s = await sim();
    s.faults.set("cp.status", { kind: "reset" });
    s.faults.set("cp.stop", { kind: "malformed" });
    s.faults.clear("cp.status");
    expect(s.faults.list().map((f) => f.route)).toEqual(["cp.stop"]);
    s.faults.clear();
    expect(s.faults.list()).toEqual([]);
    expect(() => s.faults.set("cp.nope", { kind: "reset" })).toThrow(/valid routes: cp\.provision/);
    expect(() => s.faults.set("cp.stop", { kind: "slow", delayMs: -1 })).toThrow(/delayMs/);
    expect(() => s.faults.set("cp.stop", { kind: "reset" }, { times: 0 })).toThrow(/times/);
    expect(() => s.faults.set("cp.stop", { kind: "drop", afterMs: 1.5 })).toThrow(/afterMs/);
    expect(() => s.faults.set("tenant.ws", { kind: "malformed" })).toThrow(/does not apply to tenant\.ws/);
  });
});
