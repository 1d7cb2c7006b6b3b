import { request } from "node:http";
import { WebSocket } from "undici";
import { describe, expect, it, vi } from "vitest";
import type { RequestRecord, Sim } from "./index";
import { call, orgHeaders, PATIENT, STILL, simsAtStart, tenantHeaders } from "./test-support";

const sim = simsAtStart();

function feedUrl(s: Sim, path = "/ws"): string {
  return `${s.url.replace(/^http/, "ws")}${path}`;
}

function connect(s: Sim, headers: Record<string, string> = orgHeaders(s), path = "/ws"): WebSocket {
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
  const ws = s.state.workspaces().find((w) => w.status === "online" && w.runtime !== "external");
  if (!ws) throw new Error("no online workspace seeded");
  return ws.id;
}

/** A raw upgrade request, for handshakes a WebSocket client would never send. */
function rawUpgrade(s: Sim, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, { headers: { connection: "Upgrade", upgrade: "websocket", ...headers } });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("upgrade", (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: "" });
    });
    req.on("error", reject);
    req.end();
  });
}

/** A well-formed handshake's version and key, for raw upgrades that should get past gorilla's checks. */
const versionHeaders = { "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" };

/** RFC3339Nano to ns since the epoch, fraction included. */
function nanos(stamp: string): bigint {
  const [, base, fraction = ""] = /^(.*?)(?:\.(\d+))?Z$/.exec(stamp) ?? [];
  return BigInt(Date.parse(`${base}Z`)) * 1_000_000n + BigInt(fraction.padEnd(9, "0"));
}

describe("GET /ws (handlers/socket.go, ws/hub.go)", () => {
  it("pushes each recorded event as models.WSMessage {event, workspace_id, timestamp, payload}", async () => {
    // STILL: the seeded boot's own events would reach the feed too, on a loaded machine.
    const s = await sim({ timing: STILL });
    const ws = connect(s);
    expect(await handshake(ws)).toBe("open");
    const id = onlineId(s);
    const message = nextMessage(ws);
    s.state.setWorkspaceStatus(id, "offline");
    const got = (await message) as Record<string, unknown>;
    expect(Object.keys(got)).toEqual(["event", "workspace_id", "timestamp", "payload"]);
    expect(got).toMatchObject({ event: "WORKSPACE_OFFLINE", workspace_id: id, payload: {} });
    const [record] = feedRequests(s);
    expect(record).toMatchObject({ method: "GET", path: "/ws", status: 101, done: false });
    expect(record?.bytes).toBe(Buffer.byteLength(JSON.stringify(got)));
    ws.close();
    await vi.waitFor(() => expect(feedRequests(s)[0]?.done).toBe(true), PATIENT);
  });

  it("stamps the broadcast time (RFC3339Nano), after the INSERT: not the stored created_at", async () => {
    const s = await sim({ timing: { ...STILL, broadcastLagMs: 300 } });
    const ws = connect(s);
    expect(await handshake(ws)).toBe("open");
    const id = onlineId(s);
    const message = nextMessage(ws);
    s.state.setWorkspaceStatus(id, "paused");
    const got = (await message) as { timestamp: string };
    const stored = s.state.events().find((e) => e.workspace_id === id && e.event_type === "WORKSPACE_PAUSED");
    expect(got.timestamp).toMatch(/^2026-12-03T07:45:\d{2}(\.\d{1,9})?Z$/);
    expect(stored?.created_at).toMatch(/^2026-12-03T07:45:\d{2}(\.\d{1,6})?Z$/);
    expect(got.timestamp).not.toBe(stored?.created_at);
    const lag = nanos(got.timestamp) - nanos(stored?.created_at ?? "");
    expect(lag).toBeGreaterThanOrEqual(300_000_000n);
    expect(lag).toBeLessThan(2_000_000_000n);
    ws.close();
  });

  it("sends every client the messages after it connected, not the history", async () => {
    const s = await sim({ timing: STILL });
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

  it("needs no credential from a client without X-Workspace-ID (a bearer is ignored); the org guard still answers 404", async () => {
    const s = await sim();
    const refusal = async (headers: Record<string, string>) => {
      const before = feedRequests(s).length;
      expect(await handshake(connect(s, headers))).toBe("refused");
      return statusesSince(s, before);
    };
    for (const headers of [orgHeaders(s), { ...orgHeaders(s), authorization: "Bearer nope" }]) {
      const open = connect(s, headers);
      expect(await handshake(open)).toBe("open");
      open.close();
    }
    expect(await refusal({ ...tenantHeaders(s), "x-molecule-org-id": "org-other" })).toEqual([404]);
    expect(await refusal({})).toEqual([404]);
    expect(await rawUpgrade(s, "/ws", { origin: "http://evil.example", ...versionHeaders })).toMatchObject({
      status: 403,
      body: "",
    });
    await vi.waitFor(() => expect(feedRequests(s).every((r) => r.done)).toBe(true), PATIENT);
  });

  it("checks an agent connection's token: X-Workspace-ID of a known workspace needs its own token, not ADMIN_TOKEN", async () => {
    const s = await sim();
    const agent = { ...orgHeaders(s), "x-workspace-id": onlineId(s), ...versionHeaders };
    expect(await rawUpgrade(s, "/ws", agent)).toMatchObject({
      status: 401,
      body: '{"error":"missing workspace auth token"}',
    });
    const withAdmin = { ...agent, authorization: `Bearer ${s.env.ADMIN_TOKEN}` };
    expect(await rawUpgrade(s, "/ws", withAdmin)).toMatchObject({
      status: 401,
      body: '{"error":"invalid workspace auth token"}',
    });
    // A workspace with no token on file is grandfathered in, and hears about no one.
    const stranger = connect(s, { ...orgHeaders(s), "x-workspace-id": "00000000-0000-4000-8000-000000000000" });
    expect(await handshake(stranger)).toBe("open");
    let heard = 0;
    stranger.addEventListener("message", () => heard++);
    s.state.setWorkspaceStatus(onlineId(s), "paused");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toBe(0);
    stranger.close();
  });

  it("applies a configured CORS_ORIGINS list to the upgrade itself (gorilla's CheckOrigin): 403 Forbidden", async () => {
    const s = await sim({ corsOrigins: ["https://canvas.example.com"] });
    const ownOrigin = await rawUpgrade(s, "/ws", { ...orgHeaders(s), ...versionHeaders });
    expect(ownOrigin).toMatchObject({ status: 403, body: "Forbidden\n" });
    const listed = connect(s, { ...orgHeaders(s), origin: "https://canvas.example.com" });
    expect(await handshake(listed)).toBe("open");
    listed.close();
  });

  it("answers gin's 404 to an upgrade on any other path, and gorilla's 400 to a malformed handshake or a plain GET", async () => {
    const s = await sim();
    expect(await handshake(connect(s, tenantHeaders(s), "/workspaces"))).toBe("refused");
    expect(await rawUpgrade(s, "/ws", orgHeaders(s))).toMatchObject({ status: 400, body: "Bad Request\n" });
    const badKey = { ...orgHeaders(s), "sec-websocket-version": "13", "sec-websocket-key": "nope" };
    expect(await rawUpgrade(s, "/ws", badKey)).toMatchObject({ status: 400, body: "Bad Request\n" });
    const log = s.state.requests();
    expect(log.map((r) => [r.path, r.route, r.status])).toEqual([
      ["/workspaces", null, 404],
      ["/ws", "tenant.ws", 400],
      ["/ws", "tenant.ws", 400],
    ]);
    const plain = await call(s, "GET", "/ws", { headers: orgHeaders(s) });
    expect(plain).toMatchObject({ status: 400, text: "Bad Request\n" });
    expect(plain.headers.get("sec-websocket-version")).toBe("13");
  });

  it("close() ends open feeds and held upgrades promptly", async () => {
    const s = await sim();
    const clients = [connect(s), connect(s)];
    expect(await Promise.all(clients.map(handshake))).toEqual(["open", "open"]);
    s.faults.set("tenant.ws", { kind: "blackhole" });
    const held = connect(s);
    const heldOutcome = handshake(held);
    await vi.waitFor(() => expect(feedRequests(s)).toHaveLength(3), PATIENT);
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

  it("counts only connections that passed the org guard", async () => {
    const s = await sim();
    s.faults.set("tenant.ws", { kind: "status", status: 502 }, { times: 1 });
    expect(await handshake(connect(s, { ...tenantHeaders(s), "x-molecule-org-id": "org-other" }))).toBe("refused");
    expect(await handshake(connect(s))).toBe("refused");
    const ws = connect(s);
    expect(await handshake(ws)).toBe("open");
    expect(feedRequests(s).map((r) => r.status)).toEqual([404, 502, 101]);
    ws.close();
  });

  it("status 429: the rate limiter's refusal, Retry-After included; the real limiter counts upgrades too", async () => {
    const s = await sim();
    s.faults.set("tenant.ws", { kind: "status", status: 429, retryAfter: 3 }, { times: 1 });
    expect(await rawUpgrade(s, "/ws", { ...orgHeaders(s), ...versionHeaders })).toMatchObject({
      status: 429,
      body: '{"error":"rate limit exceeded","retry_after":3}',
    });
    const limited = await sim({ rateLimit: 1 });
    const ws = connect(limited);
    expect(await handshake(ws)).toBe("open");
    ws.close();
    expect((await rawUpgrade(limited, "/ws", { ...orgHeaders(limited), ...versionHeaders })).status).toBe(429);
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
    // The drop's timer starts when the sim accepts, between these two instants: the lower bound
    // counts from the first (the client may see "open" late), the upper one from the second.
    const connecting = Date.now();
    const dropped = connect(s);
    expect(await handshake(dropped)).toBe("open");
    const opened = Date.now();
    const end = await closed(dropped);
    expect(end.at - connecting).toBeGreaterThanOrEqual(50);
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
