import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { authorize, unauthorizedError } from "./auth";
import { cpRoutes } from "./cp-routes";
import { respondWithFault } from "./fault-responder";
import { faultRoutes } from "./fault-routes";
import { type FaultTable, isFaultRoute } from "./faults";
import { errorReply, type Reply, readBody, textReply, writeReply } from "./http-io";
import { matchRoute, type RouteContext, type RouteDef, validPathEncoding } from "./router";
import type { SimWorld } from "./state";
import { TenantAccess } from "./tenant-access";
import { noRouteReply, screenTenantRequest } from "./tenant-middleware";
import { tenantRoutes } from "./tenant-routes";
import type { RequestRecord } from "./types";
import { WsFeed } from "./ws-feed";

export interface SimServer {
  server: Server;
  /** Stops accepting, destroys every open socket (black-holed ones and /ws feeds too) and waits for the close. */
  close(): Promise<void>;
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  record: RequestRecord;
  signal: AbortSignal;
}

/**
 * The CP and the tenant platform (REST and the /ws feed) on one port. /cp/* and /_sim/* are the
 * CP's and the sim's own, with their own auth; everything else is the tenant, behind its
 * middleware (tenant-middleware.ts). Without a CP (cp: false) the CP routes do not exist.
 */
export function createSimServer(world: SimWorld, faults: FaultTable): SimServer {
  const controlRoutes: RouteDef[] = [...(world.options.cp ? cpRoutes : []), ...faultRoutes];
  const access = new TenantAccess(world);
  const closing = new AbortController();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const record = world.requestLog.open(req, url.pathname);
    const gone = new AbortController();
    res.on("close", () => {
      record.done = true;
      gone.abort();
    });
    const ex: Exchange = { req, res, url, record, signal: AbortSignal.any([gone.signal, closing.signal]) };
    const control = url.pathname.startsWith("/cp/") || url.pathname.startsWith("/_sim/");
    if (!control) {
      access.track(req, process.hrtime.bigint(), url);
      res.once("finish", () => access.logged(req, res.statusCode));
    }
    const work = control
      ? dispatchControl(ex, controlRoutes, world, faults)
      : dispatchTenant(ex, world, faults, access);
    work.catch((error: unknown) => {
      if (ex.signal.aborted || res.destroyed) return;
      if (res.headersSent) res.destroy();
      else writeReply(res, record, errorReply(500, `sim: ${error instanceof Error ? error.message : String(error)}`));
    });
  });
  const feed = new WsFeed(world, faults, access);
  server.on("upgrade", (req, socket, head) => feed.handleUpgrade(req, socket, head));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        world.close();
        closing.abort();
        feed.close();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** The CP and /_sim: JSON 404/405 of their own, their own auth. */
async function dispatchControl(
  ex: Exchange,
  routes: readonly RouteDef[],
  world: SimWorld,
  faults: FaultTable,
): Promise<void> {
  const { req, res, url, record } = ex;
  const body = await readBody(req);
  if (body === "too-large") return writeReply(res, record, tooLarge());
  const match = matchRoute(routes, req.method ?? "GET", url.pathname);
  if (match.kind === "none") return writeReply(res, record, errorReply(404, "not found"));
  if (match.kind === "bad-path") return writeReply(res, record, errorReply(400, "malformed path"));
  if (match.kind === "method") {
    return writeReply(res, record, {
      ...errorReply(405, "method not allowed"),
      headers: { allow: match.allowed.join(", ") },
    });
  }
  await serveRoute(ex, match.route, match.params, body, world, faults);
}

/**
 * The tenant, in the platform's order: net/http refuses a request line it cannot parse; the
 * middleware (edge, CORS, rate limiter, org guard, security headers); gin's routing (no route,
 * or no route for that method: 404 "404 page not found"); the route group's bearer auth; then a
 * fault or the handler. The middleware's headers go out with whatever answers.
 */
async function dispatchTenant(ex: Exchange, world: SimWorld, faults: FaultTable, access: TenantAccess): Promise<void> {
  const { req, res, url, record } = ex;
  const body = await readBody(req);
  if (body === "too-large") return writeReply(res, record, tooLarge());
  if (!validPathEncoding(url.pathname)) {
    return writeReply(res, record, {
      ...textReply(400, "400 Bad Request", "text/plain; charset=utf-8"),
      headers: { connection: "close" },
    });
  }
  // gin picks the route first, then runs the middleware chain in front of its handler.
  const match = matchRoute(tenantRoutes, req.method ?? "GET", url.pathname);
  if (match.kind === "found") record.route = match.route.name;
  const screening = screenTenantRequest(req, url.pathname, world.options, access.limiter);
  for (const [name, value] of Object.entries(screening.headers)) res.setHeader(name, value);
  if (screening.edge) access.forget(req);
  if (screening.answer) return writeReply(res, record, screening.answer);
  if (match.kind !== "found") return writeReply(res, record, noRouteReply(world.options));
  await serveRoute(ex, match.route, match.params, body, world, faults);
}

async function serveRoute(
  ex: Exchange,
  route: RouteDef,
  params: string[],
  rawBody: Buffer,
  world: SimWorld,
  faults: FaultTable,
): Promise<void> {
  const { req, res, url, record, signal } = ex;
  record.route = route.name;
  const denied = authorize(route.gate, req, world.options);
  if (denied) return writeReply(res, record, denied);
  const run = async (): Promise<Reply> => {
    let parsed: unknown;
    if (route.json) {
      try {
        parsed = JSON.parse(rawBody.toString("utf8"));
      } catch {
        return errorReply(400, "request body must be valid JSON");
      }
    }
    const ctx: RouteContext = { req, url, params, rawBody, body: parsed, world, faults, signal };
    return route.handle(ctx);
  };
  // After auth: a fault models the upstream misbehaving for a legitimate caller, and its
  // `times` then counts exactly the calls the client under test makes.
  const fault = isFaultRoute(route.name) ? faults.take(route.name) : undefined;
  if (!fault) return writeReply(res, record, await run());
  await respondWithFault(fault, {
    route: route.name,
    unauthorized: unauthorizedError(route.gate),
    rateLimit: world.options.rateLimit || 600,
    req,
    res,
    record,
    signal,
    run,
  });
}

function tooLarge(): Reply {
  return { ...errorReply(413, "request body too large"), headers: { connection: "close" } };
}
