/**
 * A hostile tenant and CP on one loopback port, for the secret scans: every answer the console
 * can get — each tenant route it uses, /ws, each CP route — comes in the platform's shapes with
 * the configured secrets planted in every free-text field and key, in every encoding
 * (hostile-text.ts), in its headers (an echo of the request's Authorization, Set-Cookie, a
 * WWW-Authenticate on 401) and, for the error answers, in the body (the `error` field; a Stop's
 * Go header dump with a secret straddling the 512-byte excerpt's cut). Each route answers
 * success or an error (401, 409, 500, 503), switchable per route, so every command can be driven
 * both ways. It checks no credential: it is an upstream that echoes, not one that guards.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { formatProvlogLine } from "../provlog/emit";
import { GIN_JSON, SECURITY_HEADERS } from "../tenant/contract/fixture";
import {
  eventRow,
  fetchedWorkspace,
  goMap,
  HOSTILE_INSTANCES,
  HOSTILE_WS,
  heartbeatFrames,
  hostileConsole,
  hostileEvents,
  hostileFrames,
  hostileWorkspaces,
  listedWorkspace,
  wsFrame,
} from "./hostile-records";
import { type HostileText, hostileText } from "./hostile-text";

export { HOSTILE_INSTANCES, HOSTILE_WS } from "./hostile-records";

export const HOSTILE_ROUTES = [
  "tenant.list",
  "tenant.get",
  "tenant.events",
  "tenant.workspace-events",
  "tenant.console",
  "tenant.restart",
  "tenant.bootstrap-failed",
  "tenant.ws",
  "cp.provision",
  "cp.stop",
  "cp.status",
  "cp.console",
] as const;
export type HostileRoute = (typeof HOSTILE_ROUTES)[number];

export const HOSTILE_ERROR_STATUSES = [401, 409, 500, 503] as const;
export type HostileErrorStatus = (typeof HOSTILE_ERROR_STATUSES)[number];
export type HostileMode = "ok" | HostileErrorStatus;

/** The profile's secrets, by their roles (docs/contracts.md §2/§3). */
export interface HostileSecrets {
  adminToken: string;
  provisionSecret: string;
  adminApiToken: string;
}

export interface HostileUpstreamOptions {
  secrets: HostileSecrets;
  /** What is planted (default: every secret of `secrets`). */
  plant?: readonly string[];
  orgId?: string;
  /** The tenant's clock, for event times (default Date.now): a host on a test clock gets the same. */
  now?: () => number;
  /** How often every /ws client gets heartbeats and task updates (default 250 ms). */
  heartbeatMs?: number;
}

export interface HostileUpstream {
  /** Base URL of both the tenant and the CP (http://127.0.0.1:port). */
  url: string;
  secrets: HostileSecrets;
  text: HostileText;
  /** The environment a CLI or a host needs to use it (docs/contracts.md §2/§3 names). */
  env: Record<string, string>;
  /** Sets one route's answer (or every route's). */
  answer(route: HostileRoute | "all", mode: HostileMode): void;
  /** A provision answered 201 with a hostile, non-EC2 instance id (a CP bug the doctor must show). */
  malformedProvision(on: boolean): void;
  /** The tenant's server log: provision.ec2_started for each workspace's instance, half an hour ago. */
  serverLog(): string;
  /** Requests that reached a route. */
  hits(route: HostileRoute): number;
  /** /ws frames sent so far, to every client. */
  framesSent(): number;
  close(): Promise<void>;
}

export const HOSTILE_ORG_ID = "3c5e7a9c-1e3a-4c5e-8a9c-1e3a5c7e9a0b";

interface Route {
  name: HostileRoute;
  method: string;
  pattern: RegExp;
  handle: (ctx: Ctx) => Answer;
}

interface Ctx {
  params: string[];
  url: URL;
  body: string;
}

interface Answer {
  status: number;
  body: string;
  type?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startHostileUpstream(o: HostileUpstreamOptions): Promise<HostileUpstream> {
  const now = o.now ?? Date.now;
  const p = hostileText(o.plant ?? [o.secrets.adminToken, o.secrets.provisionSecret, o.secrets.adminApiToken]);
  const modes = new Map<HostileRoute, HostileMode>();
  const hits = new Map<HostileRoute, number>();
  const workspaces = hostileWorkspaces(p);
  const byId = new Map(workspaces.map((w, i) => [w.id, { w, index: i, status: w.status }]));
  let malformed = false;
  let started = 0;
  let frames = 0;

  const tenantError = (status: HostileErrorStatus, what: string): Answer => {
    const reasons: Record<HostileErrorStatus, string> = {
      401: `invalid admin auth token ${p.text(`${what} 401`)}`,
      409: `parent workspace "${p.text(`${what} 409 parent`)}" is paused — resume it first`,
      500: `query failed ${p.text(`${what} 500`)}`,
      503: `provisioner not available ${p.text(`${what} 503`)}`,
    };
    return { status, body: goMap({ error: reasons[status], detail: p.text(`${what} detail`) }) };
  };
  const cpError = (status: HostileErrorStatus, what: string): Answer => ({
    status,
    body: goMap({ error: p.text(`${what} ${status} error field`), request_id: p.text(`${what} request id`) }),
  });

  const workspace = (id: string) => byId.get(id);
  const notFound = (what: string): Answer => ({
    status: 404,
    body: goMap({ error: `workspace not found ${p.text(`${what} 404`)}` }),
  });

  const routes: Route[] = [
    {
      name: "tenant.list",
      method: "GET",
      pattern: /^\/workspaces$/,
      handle: () => ({
        status: 200,
        body: `[${workspaces.map((w, i) => goMap({ ...listedWorkspace(p, w, i), status: byId.get(w.id)!.status })).join(",")}]`,
      }),
    },
    {
      name: "tenant.console",
      method: "GET",
      pattern: /^\/workspaces\/([^/]+)\/console$/,
      handle: ({ params }) => ({
        status: 200,
        body: goMap({ output: hostileConsole(p, params[0]!, crashedBoot(params[0]!)) }),
      }),
    },
    {
      name: "tenant.restart",
      method: "POST",
      pattern: /^\/workspaces\/([^/]+)\/restart$/,
      handle: ({ params }) => {
        const found = workspace(params[0]!);
        if (!found) return notFound("restart");
        if (found.w.runtime === "external") {
          return {
            status: 200,
            body: goMap({ message: p.text("restart noop message"), runtime: "external", status: "noop" }),
          };
        }
        found.status = found.w.afterRestart;
        return {
          status: 200,
          body: goMap({ config_dir: p.text("restart config_dir"), reset_session: false, status: "provisioning" }),
        };
      },
    },
    {
      name: "tenant.get",
      method: "GET",
      pattern: /^\/workspaces\/([^/]+)$/,
      handle: ({ params }) => {
        const found = workspace(params[0]!);
        if (!found) return notFound("get");
        return { status: 200, body: fetchedWorkspace(p, found.w, found.index, found.status) };
      },
    },
    {
      name: "tenant.events",
      method: "GET",
      pattern: /^\/events$/,
      handle: () => ({ status: 200, body: `[${hostileEvents(p, now()).map(eventRow).join(",")}]` }),
    },
    {
      name: "tenant.workspace-events",
      method: "GET",
      pattern: /^\/events\/([^/]+)$/,
      handle: ({ params }) => {
        const id = params[0]!;
        if (!UUID.test(id)) return { status: 500, body: goMap({ error: `query failed ${p.text("events of")}` }) };
        const rows = hostileEvents(p, now()).filter((e) => e.workspaceId === id);
        return { status: 200, body: `[${rows.map(eventRow).join(",")}]` };
      },
    },
    {
      name: "tenant.bootstrap-failed",
      method: "POST",
      pattern: /^\/admin\/workspaces\/([^/]+)\/bootstrap-failed$/,
      handle: ({ params }) => {
        const found = workspace(params[0]!);
        const acted = found?.status === "provisioning";
        return {
          status: 200,
          body: goMap({ ok: true, ...(acted ? {} : { no_change: true }), message: p.text("bootstrap-failed answer") }),
        };
      },
    },
    {
      name: "cp.provision",
      method: "POST",
      pattern: /^\/cp\/workspaces\/provision$/,
      handle: () => {
        started++;
        const instanceId = malformed ? p.text("provision instance_id") : `i-0${started.toString(16).padStart(16, "a")}`;
        return {
          status: 201,
          body: goMap({
            error: p.text("provision 201 error field"),
            instance_id: instanceId,
            private_ip: p.text("provision private_ip"),
            state: p.text("provision state"),
          }),
        };
      },
    },
    {
      name: "cp.status",
      method: "GET",
      pattern: /^\/cp\/workspaces\/([^/]+)\/status$/,
      handle: ({ url }) => ({
        status: 200,
        body: goMap({
          state: "running",
          instance_id: url.searchParams.get("instance_id") ?? "",
          error: p.text("status error field"),
          detail: p.text("status detail"),
        }),
      }),
    },
    {
      name: "cp.stop",
      method: "DELETE",
      pattern: /^\/cp\/workspaces\/([^/]+)$/,
      handle: () => ({ status: 200, body: goMap({ state: "shutting-down", message: p.text("stop 200 body") }) }),
    },
    {
      name: "cp.console",
      method: "GET",
      pattern: /^\/cp\/admin\/workspaces\/([^/]+)\/console$/,
      handle: ({ params }) => ({
        status: 200,
        body: goMap({ output: hostileConsole(p, params[0]!, crashedBoot(params[0]!)) }),
      }),
    },
  ];

  const errorAnswer = (route: Route, status: HostileErrorStatus, ctx: Ctx, req: IncomingMessage): Answer => {
    if (route.name === "cp.stop") return { status, body: goHeaderDump(p, o.secrets, req, ctx), type: "text/plain" };
    return route.name.startsWith("cp.") ? cpError(status, route.name) : tenantError(status, route.name);
  };

  const headersFor = (status: number, type: string | undefined): Record<string, string | string[]> => {
    const headers: Record<string, string | string[]> = {
      "Content-Type": type ?? GIN_JSON,
      ...SECURITY_HEADERS,
      "X-Echo-Authorization": `Bearer ${o.secrets.adminToken}`,
      "X-Echo-Admin-Token": o.secrets.adminToken,
      "X-Request-Echo": p.header("echoed request headers"),
      "Set-Cookie": p.secrets.map(
        (s, i) => `molecule_session_${i}=${Buffer.from(`user:${s}`).toString("base64")}; Path=/; HttpOnly`,
      ),
    };
    if (status === 401) {
      headers["WWW-Authenticate"] = `Bearer realm="molecule", error_description="${p.header("www-authenticate")}"`;
    }
    return headers;
  };

  const send = (res: ServerResponse, a: Answer) => {
    const body = Buffer.from(a.body, "utf8");
    res.writeHead(a.status, { ...headersFor(a.status, a.type), "Content-Length": String(body.length) });
    res.end(body);
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const ctx: Ctx = { params: [], url, body: Buffer.concat(chunks).toString("utf8") };
      for (const route of routes) {
        if (route.method !== req.method) continue;
        const m = route.pattern.exec(url.pathname);
        if (!m) continue;
        ctx.params = m.slice(1).map((s) => decodeURIComponent(s));
        hits.set(route.name, (hits.get(route.name) ?? 0) + 1);
        const mode = modes.get(route.name) ?? "ok";
        send(res, mode === "ok" ? route.handle(ctx) : errorAnswer(route, mode, ctx, req));
        return;
      }
      send(res, { status: 404, body: goMap({ error: `no route ${p.text("unknown route")}` }) });
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  // /ws: everything hostile at once, then heartbeats and task updates every heartbeatMs.
  const wss = new WebSocketServer({ noServer: true });
  const clients = new Set<WebSocket>();
  const push = (ws: WebSocket, list: string[]) => {
    for (const frame of list) {
      ws.send(frame);
      frames++;
    }
  };
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/ws") {
      socket.destroy();
      return;
    }
    hits.set("tenant.ws", (hits.get("tenant.ws") ?? 0) + 1);
    const mode = modes.get("tenant.ws") ?? "ok";
    if (mode !== "ok") {
      const a = tenantError(mode, "tenant.ws");
      const headers = Object.entries(headersFor(mode, undefined)).flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}`),
      );
      const body = Buffer.from(a.body, "utf8");
      socket.end(
        Buffer.concat([
          Buffer.from(
            `HTTP/1.1 ${mode} Refused\r\n${headers.join("\r\n")}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
          ),
          body,
        ]),
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on("close", () => clients.delete(ws));
      push(ws, hostileFrames(p, now()));
    });
  });
  const ticker = setInterval(() => {
    const at = now();
    for (const ws of clients) {
      push(ws, [
        ...heartbeatFrames(p, at),
        wsFrame("AGENT_MESSAGE", HOSTILE_WS.child, at, { message: p.text("chat"), name: p.text("chat name") }),
      ]);
    }
  }, o.heartbeatMs ?? 250);
  ticker.unref();

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    secrets: o.secrets,
    text: p,
    env: {
      MOLECULE_ORG_ID: o.orgId ?? HOSTILE_ORG_ID,
      MOLECULE_TENANT_URL: url,
      CP_PROVISION_URL: url,
      ADMIN_TOKEN: o.secrets.adminToken,
      MOLECULE_CP_SHARED_SECRET: o.secrets.provisionSecret,
      CP_ADMIN_API_TOKEN: o.secrets.adminApiToken,
    },
    answer(route, mode) {
      for (const r of route === "all" ? HOSTILE_ROUTES : [route]) modes.set(r, mode);
    },
    malformedProvision(on) {
      malformed = on;
    },
    serverLog() {
      const at = new Date(now() - 30 * 60_000);
      return Object.entries(HOSTILE_INSTANCES)
        .map(([workspaceId, instanceId]) =>
          formatProvlogLine("provision.ec2_started", { workspace_id: workspaceId, instance_id: instanceId }, at),
        )
        .map((l) => `${l}\n`)
        .join("");
    },
    hits: (route) => hits.get(route) ?? 0,
    framesSent: () => frames,
    async close() {
      clearInterval(ticker);
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function crashedBoot(workspaceId: string): boolean {
    return workspaceId === HOSTILE_WS.crashing || workspaceId === HOSTILE_WS.writer;
  }
}

/** The Stop excerpt's cap (core/cp/cp-client.ts): where a dump is cut for people. */
const STOP_EXCERPT = 512;

/**
 * What a Go proxy in front of the CP answers a failed Stop with: the error, then the request it
 * forwarded, headers and all (httputil.DumpRequest). The admin token's header is placed so that
 * the value starts 8 bytes before the 512-byte excerpt ends — a cut before redaction leaves its
 * first 8 characters — and hostile text follows.
 */
function goHeaderDump(p: HostileText, secrets: HostileSecrets, req: IncomingMessage, ctx: Ctx): string {
  const head = [
    "upstream error: dial tcp 10.0.3.7:443: i/o timeout",
    `${req.method} ${ctx.url.pathname}${ctx.url.search} HTTP/1.1`,
    "Host: cp.internal:8443",
    "User-Agent: Go-http-client/1.1",
    `Authorization: Bearer ${secrets.provisionSecret}`,
    "Accept-Encoding: gzip",
  ].join("\n");
  const token = "X-Molecule-Admin-Token: ";
  const padTo = STOP_EXCERPT - 8 - token.length - head.length - "\nX-Padding: ".length - 1;
  const dump = `${head}\nX-Padding: ${"x".repeat(Math.max(0, padTo))}\n${token}${secrets.adminToken}\n${p.text("stop dump")}\n`;
  return dump;
}
