/**
 * The tenant client against the platform's own answers (core/tenant/contract/: fixtures written
 * from the workspace server's Go code, docs/contracts.md §3), served byte for byte by a real loopback HTTP
 * server that also plays the platform's CORS check and org guard. Independent of the emulator.
 */
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import type { OpsError } from "../errors";
import { type PushedEvent, parsePushedEvent, TenantFeed } from "../ops/tenant-feed";
import { opsFailure as failure } from "../testing/failure";
import { type FixtureServer, startFixtureServer } from "../testing/fixture-server";
import { bootstrapFailed } from "./contract/bootstrap-failed";
import { EVENT, listEvents, listWorkspaceEvents } from "./contract/events";
import { ADMIN_TOKEN, type ContractFixture, GIN_JSON, goJson, ORG_ID, WS } from "./contract/fixture";
import {
  adminAuthRequired,
  corsForbidden,
  ginNoRoute,
  orgGuardNotFound,
  platformMiddleware,
  rateLimited,
  workspaceAuthMissing,
} from "./contract/middleware";
import { WRITER_CONSOLE, WRITER_LAST_LINE, WRITER_LOG_TAIL, WRITER_SAMPLE_ERROR } from "./contract/serial-console";
import { workspaceConsole } from "./contract/workspace-console";
import { getWorkspace } from "./contract/workspace-get";
import { EXTERNAL_NOOP_MESSAGE, restartWorkspace } from "./contract/workspace-restart";
import { LISTED_IDS, listWorkspaces } from "./contract/workspaces-list";
import { wsMessages } from "./contract/ws-messages";
import { TenantClient, type TenantClientOptions } from "./tenant-client";
import type { TenantConfig } from "./tenant-config";

// ---------------------------------------------------------------------------------------------
// Harness

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** "Now" of the tests' clients: 2026-05-05T19:42:03Z. */
const NOW = Date.parse("2026-05-05T19:42:03Z");

interface Tenant {
  server: FixtureServer;
  /** A client of this tenant; its 429 waits are recorded in `waits`, never slept. */
  client(config?: Partial<TenantConfig>, options?: TenantClientOptions): TenantClient;
  waits: number[];
}

async function tenant(): Promise<Tenant> {
  const server = await startFixtureServer({ notFound: ginNoRoute, before: platformMiddleware(ORG_ID) });
  cleanups.push(() => server.close());
  const waits: number[] = [];
  return {
    server,
    waits,
    client(config = {}, options = {}) {
      const c = new TenantClient(
        { baseUrl: server.url, adminToken: ADMIN_TOKEN, orgId: ORG_ID, ...config },
        {
          sleep: async (ms) => {
            waits.push(ms);
          },
          now: () => NOW,
          ...options,
        },
      );
      cleanups.push(() => c.close());
      return c;
    },
  };
}

/** The token's distinctive tail: a message must carry neither the token nor a piece of it. */
const TOKEN_TAIL = ADMIN_TOKEN.slice(-16);

function expectSafe(message: string): void {
  expect(message).not.toContain(ADMIN_TOKEN);
  expect(message).not.toContain(TOKEN_TAIL);
  expect(message).not.toContain(ADMIN_TOKEN.slice(0, 12));
  // Never the raw body: no JSON of the answer is echoed.
  expect(message).not.toContain('{"');
  expect(message).not.toContain('"error"');
}

type Call = (c: TenantClient) => Promise<unknown>;

/** The route each client method asks, for the fixture server. */
const ROUTES = {
  list: { method: "GET", path: "/workspaces", call: (c: TenantClient) => c.listWorkspaces() },
  get: (id: string) => ({ method: "GET", path: `/workspaces/${id}`, call: (c: TenantClient) => c.getWorkspace(id) }),
  restart: (id: string) => ({
    method: "POST",
    path: `/workspaces/${id}/restart`,
    call: (c: TenantClient) => c.restart(id),
  }),
  console: (id: string) => ({
    method: "GET",
    path: `/workspaces/${id}/console`,
    call: (c: TenantClient) => c.console(id),
  }),
  bootstrap: (id: string) => ({
    method: "POST",
    path: `/admin/workspaces/${id}/bootstrap-failed`,
    call: (c: TenantClient) => c.reportBootstrapFailure(id, { error: "RUNTIME CRASHED", log_tail: WRITER_LOG_TAIL }),
  }),
  events: { method: "GET", path: "/events", call: (c: TenantClient) => c.listEvents() },
  workspaceEvents: (id: string) => ({
    method: "GET",
    path: `/events/${id}`,
    call: (c: TenantClient) => c.listWorkspaceEvents(id),
  }),
} as const;

interface Route {
  method: string;
  path: string;
  call: Call;
}

// ---------------------------------------------------------------------------------------------
// The fixtures themselves: written as gin writes them

const HTTP_FIXTURES: Record<string, Record<string, ContractFixture>> = {
  listWorkspaces,
  getWorkspace,
  restartWorkspace,
  workspaceConsole,
  bootstrapFailed,
  listEvents,
  listWorkspaceEvents,
  middleware: { orgGuardNotFound, corsForbidden, ginNoRoute, adminAuthRequired, workspaceAuthMissing },
};

const allHttpFixtures = Object.entries(HTTP_FIXTURES).flatMap(([group, fixtures]) =>
  Object.entries(fixtures).map(([name, f]) => ({ name: `${group}.${name}`, f })),
);

/** jsonb's key order: shorter keys first, then bytewise. */
function jsonbOrder(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function bytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function expectKeyOrder(value: unknown, order: (a: string, b: string) => number, deep: boolean, where: string): void {
  if (Array.isArray(value)) {
    if (deep) for (const v of value) expectKeyOrder(v, order, deep, where);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const keys = Object.keys(value);
  expect(keys, where).toEqual([...keys].sort(order));
  if (deep) for (const v of Object.values(value)) expectKeyOrder(v, order, deep, where);
}

/** A Postgres TIMESTAMPTZ as Go writes it: microseconds at most, no trailing zero, UTC. */
const DB_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,5}[1-9])?Z$/;
/** time.Now().UTC() as Go writes it: nanoseconds at most, no trailing zero. */
const NOW_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?Z$/;

describe("contract fixtures are as the platform writes them", () => {
  it.each(allHttpFixtures)("$name names its Go source and is gin's encoding", ({ f }) => {
    expect(f.source).toMatch(/^(handlers|middleware|router|events)\/[a-z_]+\.go \S/);
    if (f.body === "" || f.headers["Content-Type"] !== GIN_JSON) return;
    // Compact, HTML-escaped, control characters escaped: re-encoding changes nothing.
    expect(goJson(JSON.parse(f.body))).toBe(f.body);
    expect(f.body).not.toMatch(/[<>&\n\r]/);
  });

  it("writes every map with sorted keys and every JSONB value in jsonb order", () => {
    const objects = (f: ContractFixture): Array<Record<string, unknown>> => {
      const v: unknown = JSON.parse(f.body);
      return (Array.isArray(v) ? v : [v]) as Array<Record<string, unknown>>;
    };
    for (const { name, f } of allHttpFixtures) {
      if (f.headers["Content-Type"] !== GIN_JSON) continue;
      for (const o of objects(f)) {
        expectKeyOrder(o, bytewise, false, name);
        if ("agent_card" in o) expectKeyOrder(o.agent_card, jsonbOrder, true, `${name} agent_card`);
        if ("event_type" in o) expectKeyOrder(o.payload, jsonbOrder, true, `${name} payload`);
      }
    }
  });

  it("writes times as Postgres and Go give them", () => {
    const times: string[] = [];
    for (const f of [listEvents.ok, getWorkspace.lead, getWorkspace.removed]) {
      const v: unknown = JSON.parse(f.body);
      for (const o of (Array.isArray(v) ? v : [v]) as Array<Record<string, unknown>>) {
        for (const k of ["created_at", "last_outbound_at", "removed_at"])
          if (typeof o[k] === "string") times.push(o[k]);
      }
    }
    expect(times.length).toBeGreaterThan(15);
    for (const t of times) expect(t).toMatch(DB_TIME);
    // Some lost trailing zeros of their microseconds, as RFC3339Nano drops them.
    expect(times.some((t) => /\.\d{1,5}Z$/.test(t))).toBe(true);
    for (const m of Object.values(wsMessages))
      expect((JSON.parse(m.frame) as { timestamp: string }).timestamp).toMatch(NOW_TIME);
  });

  it("lists events newest first and never a removed workspace", () => {
    const events = JSON.parse(listEvents.ok.body) as Array<{ created_at: string }>;
    const times = events.map((e) => Date.parse(e.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const listed = (JSON.parse(listWorkspaces.ok.body) as Array<{ id: string; status: string }>).map((w) => w.id);
    expect(listed).toEqual(LISTED_IDS);
    expect(listed).not.toContain(WS.removed);
  });

  it("pushes /ws frames as models.WSMessage: struct order, sorted payload, no newline", () => {
    for (const [name, m] of Object.entries(wsMessages)) {
      expect(m.source, name).toMatch(
        /^events\/broadcaster\.go \(\*Broadcaster\)\.(RecordAndBroadcast|BroadcastOnly) ← /,
      );
      const v = JSON.parse(m.frame) as Record<string, unknown>;
      expect(Object.keys(v), name).toEqual(["event", "workspace_id", "timestamp", "payload"]);
      expectKeyOrder(v.payload, bytewise, false, name);
      expect(goJson(v), name).toBe(m.frame);
    }
  });

  it("pushes a recorded event with its broadcast time and sorted keys, listed with created_at and jsonb order", () => {
    const rows = JSON.parse(listEvents.ok.body) as Array<Record<string, unknown>>;
    let paired = 0;
    let reordered = 0;
    for (const m of Object.values(wsMessages)) {
      if (!("listedAs" in m)) continue;
      const pushed = JSON.parse(m.frame) as {
        event: string;
        workspace_id: string;
        timestamp: string;
        payload: unknown;
      };
      const listedRow = JSON.parse(EVENT[m.listedAs as keyof typeof EVENT]) as Record<string, unknown>;
      expect(rows).toContainEqual(listedRow);
      expect(listedRow.event_type).toBe(pushed.event);
      expect(listedRow.workspace_id).toBe(pushed.workspace_id);
      expect(pushed.timestamp).not.toBe(listedRow.created_at);
      const skew = Date.parse(pushed.timestamp) - Date.parse(listedRow.created_at as string);
      expect(skew).toBeGreaterThanOrEqual(0);
      expect(skew).toBeLessThan(5000);
      // Same values, other key order: the pairing must compare parsed payloads, not text.
      expect(pushed.payload).toEqual(listedRow.payload);
      if (JSON.stringify(pushed.payload) !== JSON.stringify(listedRow.payload)) reordered++;
      paired++;
    }
    expect(paired).toBe(3);
    expect(reordered).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// Every request: Origin, bearer, org id

describe("every request", () => {
  const routes: Array<[string, Route, ContractFixture]> = [
    ["list", ROUTES.list, listWorkspaces.ok],
    ["get", ROUTES.get(WS.lead), getWorkspace.lead],
    ["restart", ROUTES.restart(WS.lead), restartWorkspace.provisioning],
    ["console", ROUTES.console(WS.writer), workspaceConsole.crashed],
    ["bootstrap", ROUTES.bootstrap(WS.writer), bootstrapFailed.marked],
    ["events", ROUTES.events, listEvents.ok],
    ["workspace events", ROUTES.workspaceEvents(WS.writer), listWorkspaceEvents.writer],
  ];

  it.each(routes)(
    "%s carries Origin = the tenant URL's origin, the bearer and the org id",
    async (_, route, fixture) => {
      const t = await tenant();
      t.server.route(route.method, route.path, fixture);
      await route.call(t.client());
      const [req] = t.server.requestsTo(route.method, route.path);
      expect(req).toBeDefined();
      expect(req!.headers.origin).toBe(new URL(t.server.url).origin);
      expect(req!.headers.authorization).toBe(`Bearer ${ADMIN_TOKEN}`);
      expect(req!.headers["x-molecule-org-id"]).toBe(ORG_ID);
      // gin-contrib/cors lets an Origin through only when it is the Host's own.
      expect(req!.headers.origin).toBe(`http://${req!.headers.host}`);
      if (route.method === "POST") expect(req!.headers["content-type"]).toBe("application/json");
    },
  );

  it("sends the tenant URL's origin, not its path, when MOLECULE_TENANT_URL has a path prefix", async () => {
    const t = await tenant();
    t.server.route("GET", "/tenant-a/workspaces", listWorkspaces.empty);
    await t.client({ baseUrl: `${t.server.url}/tenant-a` }).listWorkspaces();
    const [req] = t.server.requestsTo("GET", "/tenant-a/workspaces");
    expect(req!.headers.origin).toBe(new URL(t.server.url).origin);
  });

  it("sends no Authorization at all when ADMIN_TOKEN is not set", async () => {
    const t = await tenant();
    t.server.route("GET", "/workspaces", adminAuthRequired);
    await failure(t.client({ adminToken: "" }).listWorkspaces());
    expect(t.server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("meets the org guard's empty 404 on every route with another org's id, blamed on the config, never the workspace", async () => {
    const t = await tenant();
    const c = t.client({ orgId: "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e" });
    const all: Route[] = [
      ROUTES.list,
      ROUTES.get(WS.lead),
      ROUTES.restart(WS.lead),
      ROUTES.console(WS.writer),
      ROUTES.bootstrap(WS.writer),
      ROUTES.events,
      ROUTES.workspaceEvents(WS.writer),
    ];
    for (const route of all) {
      // Routed to a 200: the guard answers first (and before any auth), as on the platform.
      t.server.route(route.method, route.path, listWorkspaces.empty);
      const e = await failure(route.call(c));
      expect(e.code, route.path).toBe("Config");
      expect(e.status).toBe(404);
      expect(e.message).toContain("empty 404");
      expect(e.message).toContain("MOLECULE_ORG_ID");
      expect(e.message).toContain("MOLECULE_TENANT_URL");
      expect(e.message).not.toMatch(/no such workspace|not found/i);
      expectSafe(e.message);
    }
    expect(t.server.requests).toHaveLength(all.length);
  });
});

// ---------------------------------------------------------------------------------------------
// GET /workspaces

describe("GET /workspaces (handlers/workspace.go List)", () => {
  it("keeps every workspace whole, statuses and runtimes as the platform says them", async () => {
    const t = await tenant();
    t.server.route("GET", "/workspaces", listWorkspaces.ok);
    const { workspaces, skipped } = await t.client().listWorkspaces();
    expect(skipped).toBe(0);
    expect(workspaces.map((w) => w.id)).toEqual(LISTED_IDS);
    expect(workspaces.map((w) => w.status)).toEqual([
      "online",
      "failed",
      "degraded",
      "hibernated",
      "awaiting_agent",
      "provisioning",
    ]);
    expect(workspaces.map((w) => w.runtime)).toEqual([
      "claude-code",
      "hermes",
      "codex",
      "crewai",
      "external",
      "langgraph",
    ]);
    expect(workspaces.map((w) => w.tier)).toEqual([4, 4, 3, 3, 4, 4]);
    const rows = JSON.parse(listWorkspaces.ok.body) as Array<Record<string, unknown>>;
    workspaces.forEach((w, i) => {
      expect(w.fields).toEqual(rows[i]);
      expect(w.name).toBe(rows[i]!.name);
      expect(w.fields).not.toHaveProperty("instance_id");
      expect(w.fields).not.toHaveProperty("created_at");
    });
    const [lead, writer, reviewer, , poller, analyst] = workspaces;
    expect(lead!.parentId).toBeNull();
    expect(analyst!.parentId).toBe(WS.lead);
    expect(lead!.fields.provision_timeout_ms).toBe(900000);
    expect(lead!.fields.agent_card).toMatchObject({ name: "Research Lead", url: "http://172.31.14.87:8000" });
    expect(writer!.fields.last_sample_error).toBe(WRITER_SAMPLE_ERROR);
    expect(String(writer!.fields.last_sample_error)).toContain(WRITER_LAST_LINE);
    expect(reviewer!.fields).toMatchObject({ budget_limit: 5000, monthly_spend: 4210, last_error_rate: 0.6 });
    expect(
      String((reviewer!.fields.agent_card as { skills: Array<{ description: string }> }).skills[0]!.description),
    ).toContain("<TODO>");
    expect(poller!.fields).toMatchObject({ role: null, agent_card: null, url: "" });
  });

  it("reads an org with no workspace as an empty list", async () => {
    const t = await tenant();
    t.server.route("GET", "/workspaces", listWorkspaces.empty);
    expect(await t.client().listWorkspaces()).toEqual({ workspaces: [], skipped: 0 });
  });

  it("reads a chunked answer (Go chunks bodies over 2 KiB)", async () => {
    expect(Buffer.byteLength(listWorkspaces.ok.body)).toBeGreaterThan(2048);
    const t = await tenant();
    t.server.route("GET", "/workspaces", listWorkspaces.ok);
    expect((await t.client().listWorkspaces()).workspaces).toHaveLength(6);
  });
});

// ---------------------------------------------------------------------------------------------
// GET /workspaces/:id

describe("GET /workspaces/:id (handlers/workspace.go Get)", () => {
  it("reads the open route's shape: no list-only field, last_outbound_at added", async () => {
    const t = await tenant();
    t.server.route("GET", `/workspaces/${WS.lead}`, getWorkspace.lead);
    const ws = await t.client().getWorkspace(WS.lead);
    expect(ws).toMatchObject({
      id: WS.lead,
      name: "Research Lead",
      status: "online",
      runtime: "claude-code",
      tier: 4,
      parentId: null,
    });
    expect(ws.fields.last_outbound_at).toBe("2026-05-05T19:33:07.914522Z");
    for (const gone of ["budget_limit", "monthly_spend", "current_task", "last_sample_error", "workspace_dir"]) {
      expect(ws.fields).not.toHaveProperty(gone);
    }
  });

  it("reads a failed workspace without its reason (the list carries it) and a child with its parent", async () => {
    const t = await tenant();
    t.server.route("GET", `/workspaces/${WS.writer}`, getWorkspace.writer);
    t.server.route("GET", `/workspaces/${WS.analyst}`, getWorkspace.analyst);
    const c = t.client();
    const writer = await c.getWorkspace(WS.writer);
    expect(writer.status).toBe("failed");
    expect(writer.fields.last_outbound_at).toBeNull();
    expect(writer.fields).not.toHaveProperty("last_sample_error");
    expect(await c.getWorkspace(WS.analyst)).toMatchObject({ parentId: WS.lead, status: "provisioning" });
  });
});

// ---------------------------------------------------------------------------------------------
// Error answers of every route, as the client reports them

interface ErrorCase {
  name: string;
  route: Route;
  fixture: ContractFixture;
  code: OpsError["code"];
  /** What the message must say (the platform's reason where the client shows it). */
  says: string[];
  /** What it must not (blame on the workspace where the answer does not mean it). */
  never?: RegExp;
  config?: Partial<TenantConfig>;
}

const ERROR_CASES: ErrorCase[] = [
  // GET /workspaces
  {
    name: "list: AdminAuth without a bearer",
    route: ROUTES.list,
    fixture: adminAuthRequired,
    code: "Upstream",
    says: ["(401)", "ADMIN_TOKEN", "not set"],
    config: { adminToken: "" },
  },
  {
    name: "list: AdminAuth refuses the bearer",
    route: ROUTES.list,
    fixture: listWorkspaces.adminAuthInvalid,
    code: "Upstream",
    says: ["(401)", "refused ADMIN_TOKEN"],
  },
  {
    name: "list: the org guard's empty 404",
    route: ROUTES.list,
    fixture: listWorkspaces.orgGuardNotFound,
    code: "Config",
    says: ["empty 404", "MOLECULE_ORG_ID", "MOLECULE_TENANT_URL"],
  },
  {
    name: "list: abortAuthLookupError",
    route: ROUTES.list,
    fixture: listWorkspaces.authLookupUnavailable,
    code: "Upstream",
    says: ["(503)", "platform datastore unavailable — retry shortly"],
  },
  {
    name: "list: query failed",
    route: ROUTES.list,
    fixture: listWorkspaces.queryFailed,
    code: "Upstream",
    says: ["(500)", "query failed"],
  },
  {
    name: "list: rows.Err",
    route: ROUTES.list,
    fixture: listWorkspaces.iterationFailed,
    code: "Upstream",
    says: ["(500)", "query iteration failed"],
  },
  {
    name: "list: gin's default 404 (no such route)",
    route: ROUTES.list,
    fixture: ginNoRoute,
    code: "Config",
    says: ["not the platform's", "MOLECULE_TENANT_URL"],
  },
  // GET /workspaces/:id
  {
    name: "get: not a UUID",
    route: ROUTES.get("not-a-uuid"),
    fixture: getWorkspace.invalidId,
    code: "Input",
    says: ["(400)", "invalid workspace ID"],
  },
  {
    name: "get: no such workspace",
    route: ROUTES.get(WS.removed),
    fixture: getWorkspace.notFound,
    code: "NotFound",
    says: ["no such workspace", "(404)"],
  },
  {
    name: "get: removed (410 with removed_at)",
    route: ROUTES.get(WS.removed),
    fixture: getWorkspace.removed,
    code: "Gone",
    says: ["removed on the tenant", "410", "removed 2026-05-04T22:17:45.310846Z"],
  },
  {
    name: "get: removed (410, removed_at null)",
    route: ROUTES.get(WS.removedChild),
    fixture: getWorkspace.removedNoTime,
    code: "Gone",
    says: ["removed on the tenant (410)"],
  },
  {
    name: "get: query failed",
    route: ROUTES.get(WS.lead),
    fixture: getWorkspace.queryFailed,
    code: "Upstream",
    says: ["(500)", "query failed"],
  },
  {
    name: "get: the org guard's empty 404",
    route: ROUTES.get(WS.lead),
    fixture: getWorkspace.orgGuardNotFound,
    code: "Config",
    says: ["empty 404", "MOLECULE_ORG_ID", "MOLECULE_TENANT_URL"],
    never: /no such workspace|not found/i,
  },
  // POST /workspaces/:id/restart
  {
    name: "restart: no such workspace",
    route: ROUTES.restart(WS.removed),
    fixture: restartWorkspace.notFound,
    code: "NotFound",
    says: ["no such workspace", "(404)"],
  },
  {
    name: "restart: parent paused",
    route: ROUTES.restart(WS.analyst),
    fixture: restartWorkspace.parentPaused,
    code: "Conflict",
    says: ["(409)", 'parent workspace "Research Lead" is paused — resume it first'],
  },
  {
    name: "restart: no provisioner",
    route: ROUTES.restart(WS.lead),
    fixture: restartWorkspace.noProvisioner,
    code: "Upstream",
    says: ["(503)", "provisioner not available"],
  },
  {
    name: "restart: lookup failed",
    route: ROUTES.restart("not-a-uuid"),
    fixture: restartWorkspace.lookupFailed,
    code: "Upstream",
    says: ["(500)", "lookup failed"],
  },
  {
    name: "restart: WorkspaceAuth without a bearer",
    route: ROUTES.restart(WS.lead),
    fixture: restartWorkspace.workspaceAuthMissing,
    code: "Upstream",
    says: ["(401)", "ADMIN_TOKEN", "not set"],
    config: { adminToken: "" },
  },
  {
    name: "restart: WorkspaceAuth refuses the bearer",
    route: ROUTES.restart(WS.lead),
    fixture: restartWorkspace.workspaceAuthInvalid,
    code: "Upstream",
    says: ["(401)", "refused ADMIN_TOKEN"],
  },
  {
    name: "restart: the org guard's empty 404",
    route: ROUTES.restart(WS.lead),
    fixture: restartWorkspace.orgGuardNotFound,
    code: "Config",
    says: ["empty 404", "MOLECULE_ORG_ID"],
    never: /no such workspace|not found/i,
  },
  // GET /workspaces/:id/console
  {
    name: "console: no control plane",
    route: ROUTES.console(WS.writer),
    fixture: workspaceConsole.noControlPlane,
    code: "NoBackend",
    says: ["no control plane (501)"],
  },
  {
    name: "console: the control plane failed",
    route: ROUTES.console(WS.poller),
    fixture: workspaceConsole.controlPlaneFailed,
    code: "Upstream",
    says: ["control plane failed (502)"],
  },
  {
    name: "console: AdminAuth refuses the bearer",
    route: ROUTES.console(WS.writer),
    fixture: workspaceConsole.adminAuthInvalid,
    code: "Upstream",
    says: ["(401)"],
  },
  {
    name: "console: the org guard's empty 404",
    route: ROUTES.console(WS.writer),
    fixture: workspaceConsole.orgGuardNotFound,
    code: "Config",
    says: ["empty 404"],
    never: /no such workspace|not found/i,
  },
  // POST /admin/workspaces/:id/bootstrap-failed
  {
    name: "bootstrap: invalid body",
    route: ROUTES.bootstrap(WS.writer),
    fixture: bootstrapFailed.invalidBody,
    code: "Input",
    says: ["(400)", "invalid request body"],
  },
  {
    name: "bootstrap: update failed",
    route: ROUTES.bootstrap("not-a-uuid"),
    fixture: bootstrapFailed.updateFailed,
    code: "Upstream",
    says: ["(500)", "db update failed"],
  },
  {
    name: "bootstrap: AdminAuth refuses the bearer",
    route: ROUTES.bootstrap(WS.writer),
    fixture: bootstrapFailed.adminAuthInvalid,
    code: "Upstream",
    says: ["(401)", "refused ADMIN_TOKEN"],
  },
  {
    name: "bootstrap: the org guard's empty 404",
    route: ROUTES.bootstrap(WS.writer),
    fixture: bootstrapFailed.orgGuardNotFound,
    code: "Config",
    says: ["empty 404"],
    never: /no such workspace|not found/i,
  },
  // GET /events, /events/:workspaceId
  {
    name: "events: query failed",
    route: ROUTES.events,
    fixture: listEvents.queryFailed,
    code: "Upstream",
    says: ["(500)", "query failed"],
  },
  {
    name: "events: AdminAuth refuses the bearer",
    route: ROUTES.events,
    fixture: listEvents.adminAuthInvalid,
    code: "Upstream",
    says: ["(401)"],
  },
  {
    name: "events: the org guard's empty 404",
    route: ROUTES.events,
    fixture: listEvents.orgGuardNotFound,
    code: "Config",
    says: ["empty 404"],
  },
  {
    name: "workspace events: not a UUID",
    route: ROUTES.workspaceEvents("not-a-uuid"),
    fixture: listWorkspaceEvents.queryFailed,
    code: "Upstream",
    says: ["(500)", "query failed"],
  },
  {
    name: "workspace events: the org guard's empty 404",
    route: ROUTES.workspaceEvents(WS.writer),
    fixture: listWorkspaceEvents.orgGuardNotFound,
    code: "Config",
    says: ["empty 404"],
    never: /no such workspace|not found/i,
  },
  // Before the routes
  {
    name: "any route: CORS refuses an Origin that is not the Host's",
    route: ROUTES.list,
    fixture: corsForbidden,
    code: "Config",
    says: ["empty 403", "Origin", "MOLECULE_TENANT_URL"],
  },
];

describe("error answers", () => {
  it.each(ERROR_CASES)("$name → $code", async ({ route, fixture, code, says, never, config }) => {
    const t = await tenant();
    t.server.route(route.method, route.path, fixture);
    const e = await failure(route.call(t.client(config)));
    expect(e.code).toBe(code);
    expect(e.status).toBe(fixture.status);
    for (const s of says) expect(e.message).toContain(s);
    if (never) expect(e.message).not.toMatch(never);
    expectSafe(e.message);
    // One request: only a GET's 429 is tried again.
    expect(t.server.requests).toHaveLength(1);
  });

  /**
   * Not platform answers: each error answer above with ADMIN_TOKEN planted in every text field
   * (a proxy or a future platform echoing the request's headers). No message may carry it.
   */
  it.each(ERROR_CASES.filter((c) => c.fixture.body.startsWith("{")))(
    "$name, with ADMIN_TOKEN planted in its body, shows no secret",
    async ({ route, fixture, code }) => {
      const t = await tenant();
      t.server.route(route.method, route.path, { ...fixture, body: planted(fixture.body) });
      const e = await failure(route.call(t.client()));
      expect(e.code).toBe(code);
      expectSafe(e.message);
    },
  );

  it("shows the platform's reason with the planted token redacted, not dropped", async () => {
    const t = await tenant();
    t.server.route("POST", `/workspaces/${WS.analyst}/restart`, {
      ...restartWorkspace.parentPaused,
      body: planted(restartWorkspace.parentPaused.body),
    });
    const e = await failure(t.client().restart(WS.analyst));
    expect(e.message).toContain('parent workspace "Research Lead" is paused — resume it first');
    expect(e.message).toContain("[redacted]");
    expectSafe(e.message);
  });

  it("never shows a planted removed_at", async () => {
    const t = await tenant();
    const body = `{"error":"workspace removed","hint":"x","id":"${WS.removed}","removed_at":"${ADMIN_TOKEN}"}`;
    t.server.route("GET", `/workspaces/${WS.removed}`, { ...getWorkspace.removed, body });
    const e = await failure(t.client().getWorkspace(WS.removed));
    expect(e.code).toBe("Gone");
    expectSafe(e.message);
  });
});

/** Every string of a JSON object's top level, and null fields, with the token planted in it. */
function planted(body: string): string {
  const value = JSON.parse(body) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      typeof v === "string"
        ? `${v} (Authorization: Bearer ${ADMIN_TOKEN}) token=${ADMIN_TOKEN}`
        : v === null
          ? ADMIN_TOKEN
          : v;
  }
  out.detail = `echo: ${ADMIN_TOKEN}`;
  return goJson(out);
}

// ---------------------------------------------------------------------------------------------
// POST /workspaces/:id/restart

describe("POST /workspaces/:id/restart (handlers/workspace_restart.go Restart)", () => {
  it("reads provisioning, sending an empty JSON object", async () => {
    const t = await tenant();
    t.server.route("POST", `/workspaces/${WS.lead}/restart`, restartWorkspace.provisioning);
    expect(await t.client().restart(WS.lead)).toEqual({ status: "provisioning", runtime: null, message: null });
    expect(t.server.requests[0]!.body).toBe("{}");
  });

  it("reads an external workspace's no-op with the platform's message", async () => {
    const t = await tenant();
    t.server.route("POST", `/workspaces/${WS.poller}/restart`, restartWorkspace.external);
    expect(await t.client().restart(WS.poller)).toEqual({
      status: "noop",
      runtime: "external",
      message: EXTERNAL_NOOP_MESSAGE,
    });
  });

  it("redacts a planted token from the no-op's message", async () => {
    const t = await tenant();
    t.server.route("POST", `/workspaces/${WS.poller}/restart`, {
      ...restartWorkspace.external,
      body: planted(restartWorkspace.external.body),
    });
    const answer = await t.client().restart(WS.poller);
    expect(answer.status).toContain("noop");
    expectSafe(answer.message ?? "");
    expectSafe(answer.status);
  });
});

// ---------------------------------------------------------------------------------------------
// GET /workspaces/:id/console

describe("GET /workspaces/:id/console (handlers/workspace_bootstrap.go Console)", () => {
  it("returns the serial console as sent, crash and traceback included", async () => {
    const t = await tenant();
    t.server.route("GET", `/workspaces/${WS.writer}/console`, workspaceConsole.crashed);
    const output = await t.client().console(WS.writer);
    expect(output).toBe(WRITER_CONSOLE);
    expect(output).toContain("RUNTIME CRASHED: hermes-agent exited with code 1");
    expect(output).toContain('File "<frozen runpy>"');
    expect(output.endsWith(`${WRITER_LAST_LINE}\r\n`)).toBe(true);
  });

  it('reads "" as empty, and null (not a platform answer) as empty too', async () => {
    const t = await tenant();
    t.server.route("GET", `/workspaces/${WS.analyst}/console`, workspaceConsole.empty);
    t.server.route("GET", `/workspaces/${WS.lead}/console`, workspaceConsole.nullOutput);
    const c = t.client();
    expect(await c.console(WS.analyst)).toBe("");
    expect(await c.console(WS.lead)).toBe("");
  });
});

// ---------------------------------------------------------------------------------------------
// POST /admin/workspaces/:id/bootstrap-failed

describe("POST /admin/workspaces/:id/bootstrap-failed (handlers/workspace_bootstrap.go BootstrapFailed)", () => {
  it("reads {ok:true} as changed and sends {error, log_tail}", async () => {
    const t = await tenant();
    const path = `/admin/workspaces/${WS.writer}/bootstrap-failed`;
    t.server.route("POST", path, bootstrapFailed.marked);
    const answer = await t.client().reportBootstrapFailure(WS.writer, {
      error: "RUNTIME CRASHED: hermes-agent exited with code 1",
      log_tail: WRITER_LOG_TAIL,
    });
    expect(answer).toEqual({ changed: true });
    expect(JSON.parse(t.server.requests[0]!.body)).toEqual({
      error: "RUNTIME CRASHED: hermes-agent exited with code 1",
      log_tail: WRITER_LOG_TAIL,
    });
  });

  it("reads {no_change:true, ok:true} as unchanged (safe to repeat)", async () => {
    const t = await tenant();
    t.server.route("POST", `/admin/workspaces/${WS.lead}/bootstrap-failed`, bootstrapFailed.noChange);
    expect(await t.client().reportBootstrapFailure(WS.lead, { error: "x", log_tail: "" })).toEqual({ changed: false });
  });

  it("sends at most the 8192 bytes the platform keeps, so it never adds its truncation marker", async () => {
    const t = await tenant();
    const path = `/admin/workspaces/${WS.writer}/bootstrap-failed`;
    t.server.route("POST", path, bootstrapFailed.marked);
    const long = `${"x".repeat(20_000)}\n${WRITER_LOG_TAIL}`;
    await t.client().reportBootstrapFailure(WS.writer, { error: "RUNTIME CRASHED", log_tail: long });
    const sent = JSON.parse(t.server.requests[0]!.body) as { log_tail: string };
    expect(Buffer.byteLength(sent.log_tail)).toBeLessThanOrEqual(8192);
    expect(sent.log_tail.endsWith(WRITER_LOG_TAIL)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// GET /events, /events/:workspaceId

describe("GET /events (handlers/events.go List, ListByWorkspace)", () => {
  it("reads every event newest first, payloads as stored, a NULL workspace and payload as null", async () => {
    const t = await tenant();
    t.server.route("GET", "/events", listEvents.ok);
    const { events, skipped } = await t.client().listEvents();
    const rows = JSON.parse(listEvents.ok.body) as Array<Record<string, unknown>>;
    expect(skipped).toBe(0);
    expect(events.map((e) => e.id)).toEqual(rows.map((r) => r.id));
    events.forEach((e, i) => {
      expect(e).toEqual({
        id: rows[i]!.id,
        eventType: rows[i]!.event_type,
        workspaceId: rows[i]!.workspace_id,
        payload: rows[i]!.payload,
        createdAt: rows[i]!.created_at,
      });
    });
    const crashed = events[0]!;
    expect(crashed).toMatchObject({
      eventType: "WORKSPACE_PROVISION_FAILED",
      workspaceId: WS.writer,
      createdAt: "2026-05-05T19:41:58.204117Z",
      payload: {
        error: "RUNTIME CRASHED: hermes-agent exited with code 1",
        source: "bootstrap_watcher",
        log_tail: WRITER_LOG_TAIL,
      },
    });
    const orgLevel = events.at(-1)!;
    expect(orgLevel).toMatchObject({ eventType: "ORG_IMPORTED", workspaceId: null, payload: null });
    expect(events.filter((e) => e.eventType === "WORKSPACE_ONLINE").map((e) => e.payload)).toEqual([
      expect.objectContaining({
        url: "http://172.31.14.87:8000",
        delivery_mode: "push",
        agent_card: expect.any(Object),
      }),
      {},
      { recovered_from: "provisioning" },
    ]);
    expect(events.find((e) => e.eventType === "WORKSPACE_DEGRADED")!.payload).toEqual({
      error_rate: 0.6,
      sample_error: "model provider returned 529 Overloaded (3 of 5 calls in the last minute)",
    });
    expect(events.find((e) => e.eventType === "WORKSPACE_PROVISIONING")!.payload).toEqual({
      name: "Data Analyst",
      tier: 4,
      runtime: "langgraph",
    });
    expect(events.filter((e) => e.eventType === "WORKSPACE_REMOVED").map((e) => e.payload)).toEqual([
      { cascade_deleted: 1 },
      {},
    ]);
  });

  it("reads one workspace's events and an empty list", async () => {
    const t = await tenant();
    t.server.route("GET", `/events/${WS.writer}`, listWorkspaceEvents.writer);
    t.server.route("GET", `/events/${WS.poller}`, listWorkspaceEvents.empty);
    t.server.route("GET", "/events", listEvents.empty);
    const c = t.client();
    const { events } = await c.listWorkspaceEvents(WS.writer);
    expect(events.map((e) => e.eventType)).toEqual([
      "WORKSPACE_PROVISION_FAILED",
      "WORKSPACE_PROVISIONING",
      "WORKSPACE_PROVISION_FAILED",
      "WORKSPACE_PROVISIONING",
    ]);
    expect(new Set(events.map((e) => e.workspaceId))).toEqual(new Set([WS.writer]));
    expect(events[2]!.payload).toEqual({
      error:
        "provisioning timed out — container started but never called /registry/register. Check container logs and network connectivity to the platform.",
      source: "provision_timeout_sweep",
      runtime: "hermes",
      timeout_secs: 600,
    });
    expect(await c.listWorkspaceEvents(WS.poller)).toEqual({ events: [], skipped: 0 });
    expect(await c.listEvents()).toEqual({ events: [], skipped: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
// 429 (middleware/ratelimit.go): GETs wait as told, POSTs never try again

describe("429 from the platform's rate limiter", () => {
  it("tries a GET again after Retry-After and reads the answer", async () => {
    const t = await tenant();
    t.server.route("GET", "/workspaces", listWorkspaces.rateLimited, listWorkspaces.ok);
    const { workspaces } = await t.client().listWorkspaces();
    expect(workspaces).toHaveLength(6);
    expect(t.waits).toEqual([17_000]);
    expect(t.server.requests).toHaveLength(2);
  });

  it("tries at most 3 times, then reports the 429 with its Retry-After", async () => {
    const t = await tenant();
    t.server.route("GET", "/events", rateLimited(5));
    const e = await failure(t.client().listEvents());
    expect(e).toMatchObject({ code: "Upstream", status: 429 });
    expect(e.message).toContain("rate-limiting");
    expect(e.message).toContain("retry after 5 s");
    expectSafe(e.message);
    expect(t.waits).toEqual([5_000, 5_000]);
    expect(t.server.requests).toHaveLength(3);
  });

  it("waits at most 30 s in all: a wait past the budget is not started", async () => {
    const t = await tenant();
    t.server.route("GET", `/workspaces/${WS.lead}`, rateLimited(17), rateLimited(17), getWorkspace.lead);
    const e = await failure(t.client().getWorkspace(WS.lead));
    expect(e.status).toBe(429);
    expect(e.message).toContain("retry after 17 s");
    expect(t.waits).toEqual([17_000]);
    expect(t.server.requests).toHaveLength(2);
  });

  it("reports a Retry-After longer than the budget at once", async () => {
    const t = await tenant();
    t.server.route("GET", "/workspaces", rateLimited(45));
    const e = await failure(t.client().listWorkspaces());
    expect(e.message).toContain("retry after 45 s");
    expect(t.waits).toEqual([]);
    expect(t.server.requests).toHaveLength(1);
  });

  it("reads Retry-After: 0 (under a second left in the limiter's window) as one second", async () => {
    const t = await tenant();
    t.server.route("GET", "/workspaces", rateLimited(0), listWorkspaces.ok);
    await t.client().listWorkspaces();
    expect(t.waits).toEqual([1_000]);
  });

  it("honours an HTTP-date Retry-After (not the platform's: a proxy in front of it)", async () => {
    const t = await tenant();
    const proxy429: ContractFixture = {
      ...rateLimited(7),
      headers: { ...rateLimited(7).headers, "Retry-After": "Tue, 05 May 2026 19:42:10 GMT" },
      synthetic: "the platform sends whole seconds; an edge proxy may send a date",
    };
    t.server.route("GET", "/events", proxy429, listEvents.empty);
    await t.client().listEvents();
    expect(t.waits).toEqual([7_000]);
  });

  it.each([
    ["console", ROUTES.console(WS.writer), workspaceConsole.crashed],
    ["workspace events", ROUTES.workspaceEvents(WS.writer), listWorkspaceEvents.writer],
  ] as const)("tries the %s GET again too", async (_, route, ok) => {
    const t = await tenant();
    t.server.route(route.method, route.path, rateLimited(3), ok);
    await route.call(t.client());
    expect(t.waits).toEqual([3_000]);
    expect(t.server.requests).toHaveLength(2);
  });

  it.each([
    ["restart", ROUTES.restart(WS.lead), restartWorkspace.rateLimited],
    ["bootstrap-failed", ROUTES.bootstrap(WS.writer), bootstrapFailed.rateLimited],
  ] as const)("never tries a POST (%s) again: it may have acted", async (_, route, fixture) => {
    const t = await tenant();
    t.server.route(route.method, route.path, fixture, restartWorkspace.provisioning);
    const e = await failure(route.call(t.client()));
    expect(e).toMatchObject({ code: "Upstream", status: 429 });
    expect(e.message).toContain(`retry after ${fixture.headers["Retry-After"]} s`);
    expectSafe(e.message);
    expect(t.waits).toEqual([]);
    expect(t.server.requests).toHaveLength(1);
  });

  it("stops waiting when the caller cancels", async () => {
    const t = await tenant();
    t.server.route("GET", "/workspaces", rateLimited(2), listWorkspaces.ok);
    const c = t.client(
      {},
      {
        sleep: (_ms, signal) =>
          new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new Error("aborted")))),
      },
    );
    const controller = new AbortController();
    const pending = c.listWorkspaces({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe("Cancelled");
    expect(t.server.requests).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
// GET /ws (events/broadcaster.go, ws/hub.go): the frames as TenantFeed reads them

describe("GET /ws frames (models.WSMessage)", () => {
  function expected(frame: string): PushedEvent {
    const v = JSON.parse(frame) as {
      event: string;
      workspace_id: string;
      timestamp: string;
      payload: Record<string, unknown>;
    };
    return {
      event: v.event,
      workspaceId: v.workspace_id,
      at: Date.parse(v.timestamp),
      timestamp: v.timestamp,
      payload: v.payload,
    };
  }

  it.each(Object.entries(wsMessages))("parsePushedEvent reads %s", (_, m) => {
    const e = parsePushedEvent(m.frame);
    expect(e).toEqual(expected(m.frame));
    // The timestamp is kept as sent (nanoseconds), its time to the millisecond.
    expect(e!.timestamp).toBe((JSON.parse(m.frame) as { timestamp: string }).timestamp);
    expect(e!.at).toBe(Date.parse(e!.timestamp!.replace(/(\.\d{3})\d+Z$/, "$1Z")));
  });

  it("reads the broadcast-only payloads as the platform builds them", () => {
    const p = (m: { frame: string }) => parsePushedEvent(m.frame)!.payload;
    expect(p(wsMessages.heartbeat)).toEqual({ active_tasks: 1, uptime_seconds: 18264 });
    expect(p(wsMessages.taskStarted)).toEqual({ active_tasks: 1, current_task: "Summarising Q2 churn interviews" });
    expect(p(wsMessages.taskDone)).toEqual({ active_tasks: 0, current_task: "" });
    expect(p(wsMessages.agentMessage)).toMatchObject({
      message: "Q2 churn summary is ready — attached.",
      name: "Research Lead",
      workspace_id: WS.lead,
      attachments: [{ uri: "workspace:/outputs/q2-churn-summary.md", name: "q2-churn-summary.md" }],
    });
    const answer = p(wsMessages.a2aResponse) as { response_body: { result: { parts: Array<{ text: string }> } } };
    expect(answer.response_body.result.parts[0]!.text).toContain("-> mostly pricing & onboarding");
    expect(p(wsMessages.activityLogged)).toMatchObject({
      activity_type: "a2a_receive",
      source_id: null,
      target_id: WS.lead,
      status: "ok",
      summary: "message/send → Research Lead",
    });
  });

  it("a recorded event's push pairs with its /events row: same payload, the broadcast's time", async () => {
    const t = await tenant();
    t.server.route("GET", "/events", listEvents.ok);
    const { events } = await t.client().listEvents();
    const pushed = parsePushedEvent(wsMessages.writerCrashed.frame)!;
    const listed = events.find((e) => e.id === "b3e1f7a2-4c9d-4e6b-8a1f-2d7c5e9b0a31")!;
    expect(pushed.event).toBe(listed.eventType);
    expect(pushed.workspaceId).toBe(listed.workspaceId);
    expect(pushed.payload).toEqual(listed.payload);
    expect(pushed.timestamp).toBe("2026-05-05T19:41:58.209342918Z");
    expect(listed.createdAt).toBe("2026-05-05T19:41:58.204117Z");
    expect(pushed.at! - Date.parse(listed.createdAt!)).toBe(5);
  });

  it("TenantFeed connects to /ws with the client's headers and delivers every frame parsed", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/ws" });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    const frames = Object.values(wsMessages).map((m) => m.frame);
    const upgrades: Array<Record<string, string | string[] | undefined>> = [];
    wss.on("connection", (socket, req) => {
      upgrades.push(req.headers);
      for (const f of frames) socket.send(f);
      // Not an event: ignored, not fatal.
      socket.send("not json");
    });
    const baseUrl = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const client = new TenantClient({ baseUrl, adminToken: ADMIN_TOKEN, orgId: ORG_ID });
    cleanups.push(() => client.close());
    const headers = client.headers();
    const got: PushedEvent[] = [];
    const feed = new TenantFeed({ baseUrl, headers, onEvent: (e) => got.push(e) });
    cleanups.push(() => feed.stop());
    feed.start();
    await eventually(() => got.length >= frames.length);
    expect(got).toEqual(frames.map(expected));
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]!.authorization).toBe(`Bearer ${ADMIN_TOKEN}`);
    expect(upgrades[0]!["x-molecule-org-id"]).toBe(ORG_ID);
    expect(upgrades[0]!.origin).toBe(baseUrl);
  });
});

async function eventually(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}
