import { request } from "node:http";
import { WebSocket } from "undici";
import { describe, expect, it, vi } from "vitest";
import type { RequestRecord, Sim } from "./index";
import { simsPerTest, tenantHeaders } from "./test-support";

const sim = simsPerTest();

function feedUrl(s: Sim, path = "/ws"): string {
  return `${s.url.replace(/^http/, "ws")}${path}`;
}

function connect(s: Sim, headers: Record<string, string> = tenantHeaders(s), path = "/ws"): WebSocket {
  return new WebSocket(feedUrl(s, path), { headers });
}

/** "open" once the handshake succeeded, "refused" when the connection failed before that. */
function handshake(ws: WebSocket): Promise<"open" | "refused"> {
  return new Promise((resolve) => {
    ws.addEventListener("open", () => resolve("open"), { once: true });
    ws.addEventListener("close", () => resolve("refused"), { once: true });
  });
}

function closed(ws: WebSocket): Promise<{ code: number; wasClean: boolean; at: number }> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) resolve({ code: 1006, wasClean: false, at: Date.now() });
    ws.addEventListener("close", (e) => resolve({ code: e.code, wasClean: e.wasClean, at: Date.now() }), {
      once: true,
    });
  });
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => {
    ws.addEventListener("message", (e) => resolve(JSON.parse(String(e.data))), { once: true });
  });
}

function feedRequests(s: Sim): RequestRecord[] {
  return s.state.requests().filter((r) => r.route === "tenant.ws");
}

/**
 * The distinct statuses answered since the `before`-th feed request. undici's WebSocket repeats
 * a handshake that got 401 once (fetch's authentication retry), so one connection can be two.
 */
function statusesSince(s: Sim, before: number): number[] {
  return [
    ...new Set(
      feedRequests(s)
        .slice(before)
        .map((r) => r.status),
    ),
  ];
}

function onlineId(s: Sim): string {
  const ws = s.state.workspaces().find((w) => w.status === "online");
  if (!ws) throw new Error("no online workspace seeded");
  return ws.id;
}

/** A raw upgrade request, for handshakes a WebSocket client would never send. */
function rawUpgrade(s: Sim, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, { headers: { connection: "Upgrade", upgrade: "websocket", ...headers } });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("upgrade", (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("GET /ws (the tenant's live event feed)", () => {
  it("pushes each new event as {event, workspace_id, timestamp, payload}", async () => {
    const s = await sim();
    const ws = connect(s);
    expect(await handshake(ws)).toBe("open");
    const id = onlineId(s);
    const message = nextMessage(ws);
    s.state.setWorkspaceStatus(id, "offline");
    const got = (await message) as Record<string, unknown>;
    const event = s.state.events()[0];
    expect(Object.keys(got)).toEqual(["event", "workspace_id", "timestamp", "payload"]);
    expect(got).toEqual({ event: "WORKSPACE_OFFLINE", workspace_id: id, timestamp: event?.created_at, payload: {} });
    expect(new Date(got.timestamp as string).toISOString()).toBe(got.timestamp);
    const [record] = feedRequests(s);
    expect(record).toMatchObject({ method: "GET", path: "/ws", status: 101, done: false });
    expect(record?.bytes).toBe(JSON.stringify(got).length);
    ws.close();
    await vi.waitFor(() => expect(feedRequests(s)[0]?.done).toBe(true));
  });

  it("sends every client the events after it connected, not the history", async () => {
    const s = await sim();
    const first = connect(s);
    const second = connect(s);
    expect(await Promise.all([handshake(first), handshake(second)])).toEqual(["open", "open"]);
    const messages = Promise.all([nextMessage(first), nextMessage(second)]);
    const added = s.state.addWorkspace({ status: "provisioning" });
    s.state.setWorkspaceStatus(added.id, "failed");
    const [a, b] = (await messages) as Array<Record<string, unknown>>;
    expect(a).toEqual(b);
    expect(a).toMatchObject({ event: "WORKSPACE_PROVISION_FAILED", workspace_id: added.id });
    first.close();
    second.close();
  });

  it("refuses a wrong bearer with 401 and another org with 404, as the REST routes do", async () => {
    const s = await sim();
    const refusal = async (headers: Record<string, string>) => {
      const before = feedRequests(s).length;
      expect(await handshake(connect(s, headers))).toBe("refused");
      return statusesSince(s, before);
    };
    expect(await refusal({ ...tenantHeaders(s), authorization: "Bearer nope" })).toEqual([401]);
    expect(await refusal({ ...tenantHeaders(s), "x-molecule-org-id": "org-other" })).toEqual([404]);
    expect(await refusal({})).toEqual([401]);
    await vi.waitFor(() => expect(feedRequests(s).every((r) => r.done)).toBe(true));
  });

  it("answers 404 to an upgrade on any other path, and logs a malformed handshake's 400", async () => {
    const s = await sim();
    expect(await handshake(connect(s, tenantHeaders(s), "/workspaces"))).toBe("refused");
    expect(await rawUpgrade(s, "/ws", tenantHeaders(s))).toBe(400);
    const log = s.state.requests();
    expect(log.map((r) => [r.path, r.route, r.status])).toEqual([
      ["/workspaces", null, 404],
      ["/ws", "tenant.ws", 400],
    ]);
  });

  it("close() ends open feeds and held upgrades promptly", async () => {
    const s = await sim();
    const clients = [connect(s), connect(s)];
    expect(await Promise.all(clients.map(handshake))).toEqual(["open", "open"]);
    s.faults.set("tenant.ws", { kind: "blackhole" });
    const held = connect(s);
    const heldOutcome = handshake(held);
    await vi.waitFor(() => expect(feedRequests(s)).toHaveLength(3));
    const ends = Promise.all([...clients, held].map(closed));
    const closing = Date.now();
    await s.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    const results = await ends;
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(results.every((r) => !r.wasClean)).toBe(true);
    expect(await heldOutcome).toBe("refused");
  });
});

describe("faults on tenant.ws", () => {
  it("status: refuses one connection with that status (times: 1), then the next works", async () => {
    const s = await sim();
    s.faults.set("tenant.ws", { kind: "status", status: 503 }, { times: 1 });
    expect(await handshake(connect(s))).toBe("refused");
    const ws = connect(s);
    expect(await handshake(ws)).toBe("open");
    expect(feedRequests(s).map((r) => r.status)).toEqual([503, 101]);
    expect(s.faults.list()).toEqual([]);
    ws.close();
  });

  it("counts only connections that passed auth", async () => {
    const s = await sim();
    s.faults.set("tenant.ws", { kind: "status", status: 502 }, { times: 1 });
    expect(await handshake(connect(s, { ...tenantHeaders(s), "x-molecule-org-id": "org-other" }))).toBe("refused");
    expect(await handshake(connect(s))).toBe("refused");
    const ws = connect(s);
    expect(await handshake(ws)).toBe("open");
    expect(feedRequests(s).map((r) => r.status)).toEqual([404, 502, 101]);
    ws.close();
  });

  it("unauthorized: 401 even with the right credentials", async () => {
    const s = await sim();
    s.faults.set("tenant.ws", { kind: "unauthorized" });
    expect(await handshake(connect(s))).toBe("refused");
    expect(statusesSince(s, 0)).toEqual([401]);
  });

  it("drop: accepts, then cuts the connection without a close frame afterMs later", async () => {
    const s = await sim();
    s.faults.set("tenant.ws", { kind: "drop", afterMs: 60 }, { times: 1 });
    const dropped = connect(s);
    expect(await handshake(dropped)).toBe("open");
    const opened = Date.now();
    const end = await closed(dropped);
    expect(end.at - opened).toBeGreaterThanOrEqual(50);
    expect(end.at - opened).toBeLessThan(1000);
    expect(end).toMatchObject({ code: 1006, wasClean: false });
    // times: 1 — the reconnection stays up past afterMs.
    const next = connect(s);
    expect(await handshake(next)).toBe("open");
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(next.readyState).toBe(next.OPEN);
    next.close();
  });

  it("slow: upgrades normally after the delay", async () => {
    const s = await sim();
    s.faults.set("tenant.ws", { kind: "slow", delayMs: 80 });
    const started = Date.now();
    const ws = connect(s);
    expect(await handshake(ws)).toBe("open");
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    ws.close();
  });

  it("reset and blackhole: no answer at all", async () => {
    const s = await sim();
    s.faults.set("tenant.ws", { kind: "reset" }, { times: 1 });
    expect(await handshake(connect(s))).toBe("refused");
    s.faults.set("tenant.ws", { kind: "blackhole" }, { times: 1 });
    const held = connect(s);
    const outcome = await Promise.race([handshake(held), new Promise((r) => setTimeout(() => r("pending"), 100))]);
    expect(outcome).toBe("pending");
    held.close();
    expect(feedRequests(s).map((r) => r.status)).toEqual([0, 0]);
  });

  it("refuses faults an upgrade cannot act out", async () => {
    const s = await sim();
    expect(() => s.faults.set("tenant.ws", { kind: "oversized", bytes: 10 })).toThrow(/does not apply to tenant\.ws/);
    expect(() => s.faults.set("tenant.ws", { kind: "malformed" })).toThrow(/valid there: status, slow/);
    expect(s.faults.list()).toEqual([]);
  });
});
