import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { Store } from "../store/store";
import { TenantClient } from "../tenant/tenant-client";
import { type LiveChange, LiveStatus } from "./live-status";
import { eventually } from "./ops.testkit";

/**
 * The live feed at the platform's own rate and shapes, against a hand-built loopback tenant (REST
 * and /ws on one port) so every message and every time is the test's: what handlers/registry.go
 * and events/broadcaster.go push, and what handlers/events.go lists.
 */
const WS = "6f1c9a52-3b7e-4d2a-9c1e-0a2b3c4d5e6f";
const NOW = Date.parse("2026-05-05T12:31:00Z");
const CHAT = "please rotate the staging database password hunter2-chat";

interface FakeTenant {
  url: string;
  events: unknown[];
  socketHeaders: IncomingHttpHeaders[];
  push(message: unknown): void;
  close(): Promise<void>;
}

async function fakeTenant(): Promise<FakeTenant> {
  const events: unknown[] = [];
  const socketHeaders: IncomingHttpHeaders[] = [];
  const sockets = new Set<WebSocket>();
  const server: Server = createServer((req, res) => {
    const json = (value: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (req.url === "/workspaces") {
      json([{ id: WS, name: "billing-scout", status: "online", runtime: "hermes", tier: 2, active_tasks: 0 }]);
    } else if (req.url === "/events") {
      json(events);
    } else {
      res.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    socketHeaders.push(req.headers);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on("close", () => sockets.delete(ws));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    socketHeaders,
    push: (message) => {
      for (const ws of sockets) ws.send(JSON.stringify(message));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const tenantServer = await fakeTenant();
  const dir = mkdtempSync(join(tmpdir(), "live-feed-"));
  const dbPath = join(dir, "cache.db");
  const store = Store.open(dbPath);
  const tenant = new TenantClient({ baseUrl: tenantServer.url, adminToken: "admin-token-live", orgId: "org-1" });
  const live = new LiveStatus({
    store,
    tenant,
    cp: null,
    feed: { baseUrl: tenantServer.url, headers: tenant.headers() },
    resyncMs: 3_600_000,
    sweepMs: 3_600_000,
    heartbeatFlushMs: 50,
    now: () => NOW,
  });
  const changes: LiveChange[] = [];
  void (async () => {
    for await (const c of live.subscribe()) changes.push(c);
  })();
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => store.close(),
    () => tenant.close(),
    () => tenantServer.close(),
    () => live.stop(),
  );
  await live.start();
  await eventually(() => live.connectionState.feed === "open", 20_000, "the feed to open");
  return { tenantServer, store, live, changes, dbPath };
}

function timelineEvents(store: Store) {
  return store.db.prepare("SELECT event, ts, tenant_event_id, pushed FROM events ORDER BY id").all() as Array<{
    event: string;
    ts: number;
    tenant_event_id: string | null;
    pushed: number;
  }>;
}

describe("the live feed at the platform's shapes", () => {
  it("sends Origin (the tenant URL's origin) and the org id on /ws", async () => {
    const { tenantServer } = await setup();
    expect(tenantServer.socketHeaders[0]).toMatchObject({
      origin: tenantServer.url,
      "x-molecule-org-id": "org-1",
      authorization: "Bearer admin-token-live",
    });
  });

  it("heartbeats refresh liveness in batches and never reach the timeline; chat and task messages are dropped", async () => {
    const { tenantServer, store, changes, dbPath } = await setup();
    const before = changes.length;
    for (let i = 1; i <= 40; i++) {
      const at = new Date(NOW - 60_000 + i * 1000).toISOString();
      tenantServer.push({
        event: "WORKSPACE_HEARTBEAT",
        workspace_id: WS,
        timestamp: at,
        payload: { active_tasks: i % 3, uptime_seconds: 600 + i },
      });
    }
    const chat = { content: CHAT, role: "user", message_id: "m-1" };
    tenantServer.push({
      event: "AGENT_MESSAGE",
      workspace_id: WS,
      timestamp: new Date(NOW).toISOString(),
      payload: chat,
    });
    tenantServer.push({
      event: "A2A_RESPONSE",
      workspace_id: WS,
      timestamp: new Date(NOW).toISOString(),
      payload: chat,
    });
    tenantServer.push({
      event: "ACTIVITY_LOGGED",
      workspace_id: WS,
      timestamp: new Date(NOW).toISOString(),
      payload: { summary: CHAT },
    });
    tenantServer.push({
      event: "TASK_UPDATED",
      workspace_id: WS,
      timestamp: new Date(NOW).toISOString(),
      payload: { current_task: CHAT, active_tasks: 1 },
    });
    const last = NOW - 60_000 + 40_000;
    const row = await eventually(
      () => {
        const r = store.workspaces.get(WS);
        return r?.lastHeartbeatAt === last ? r : undefined;
      },
      20_000,
      "the heartbeats to be flushed",
    );
    expect(row.extra).toMatchObject({ active_tasks: 40 % 3, uptime_seconds: 640 });
    // A straggler older than what is stored changes nothing.
    tenantServer.push({
      event: "WORKSPACE_HEARTBEAT",
      workspace_id: WS,
      timestamp: new Date(NOW - 3_600_000).toISOString(),
      payload: { active_tasks: 9, uptime_seconds: 1 },
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(store.workspaces.get(WS)?.lastHeartbeatAt).toBe(last);
    expect(timelineEvents(store)).toEqual([]);
    // Nothing was published for the heartbeats: the status did not change.
    expect(changes.slice(before).filter((c) => c.kind === "status")).toEqual([]);
    store.db.pragma("wal_checkpoint(TRUNCATE)");
    for (const file of [dbPath, `${dbPath}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from("hunter2-chat"))).toBe(false);
    }
  });

  it("a status event pushed at broadcast time and listed with its created_at is stored once", async () => {
    const { tenantServer, store, live, changes } = await setup();
    // handlers/registry.go: WORKSPACE_OFFLINE {} recorded at created_at, broadcast 1.5 s later.
    const createdAt = "2026-05-05T12:31:10.123456Z";
    const broadcastAt = "2026-05-05T12:31:11.623456789Z";
    tenantServer.push({ event: "WORKSPACE_OFFLINE", workspace_id: WS, timestamp: broadcastAt, payload: {} });
    await eventually(
      () => changes.find((c) => c.kind === "status" && c.workspace_id === WS && c.status === "offline"),
      20_000,
      "the pushed status",
    );
    tenantServer.events.push({
      id: "8b0c2f0e-1111-4c7d-a111-000000000001",
      event_type: "WORKSPACE_OFFLINE",
      workspace_id: WS,
      payload: {},
      created_at: createdAt,
    });
    await live.resync();
    await live.resync();
    expect(timelineEvents(store)).toEqual([
      {
        event: "WORKSPACE_OFFLINE",
        ts: Date.parse(broadcastAt),
        tenant_event_id: "8b0c2f0e-1111-4c7d-a111-000000000001",
        pushed: 1,
      },
    ]);
  });

  it("the same, when the list has it first and the push arrives after", async () => {
    const { tenantServer, store, live } = await setup();
    tenantServer.events.push({
      id: "8b0c2f0e-1111-4c7d-a111-000000000002",
      event_type: "WORKSPACE_DEGRADED",
      workspace_id: WS,
      payload: { error_rate: 0.4, sample_error: "upstream model timeout after 60s" },
      created_at: "2026-05-05T12:30:50.000001Z",
    });
    await live.resync();
    tenantServer.push({
      event: "WORKSPACE_DEGRADED",
      workspace_id: WS,
      timestamp: "2026-05-05T12:30:50.002000001Z",
      payload: { sample_error: "upstream model timeout after 60s", error_rate: 0.4 },
    });
    await eventually(() => timelineEvents(store)[0]?.pushed === 1, 20_000, "the push to pair");
    expect(timelineEvents(store)).toEqual([
      {
        event: "WORKSPACE_DEGRADED",
        ts: Date.parse("2026-05-05T12:30:50.000Z"),
        tenant_event_id: "8b0c2f0e-1111-4c7d-a111-000000000002",
        pushed: 1,
      },
    ]);
  });
});
