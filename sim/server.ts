import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { authorize } from "./auth";
import { cpRoutes } from "./cp-routes";
import { respondWithFault } from "./fault-responder";
import { faultRoutes } from "./fault-routes";
import { type FaultTable, isFaultRoute } from "./faults";
import { errorReply, type Reply, readBody, writeReply } from "./http-io";
import { matchRoute, type RouteContext, type RouteDef } from "./router";
import type { SimWorld } from "./state";
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
 * The CP and the tenant platform (REST and the /ws feed) on one port; without a CP (cp: false)
 * its routes do not exist.
 */
export function createSimServer(world: SimWorld, faults: FaultTable): SimServer {
  const routes: RouteDef[] = [...(world.options.cp ? cpRoutes : []), ...tenantRoutes, ...faultRoutes];
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
    dispatch(ex, routes, world, faults).catch((error: unknown) => {
      if (ex.signal.aborted || res.destroyed) return;
      if (res.headersSent) res.destroy();
      else writeReply(res, record, errorReply(500, `sim: ${error instanceof Error ? error.message : String(error)}`));
    });
  });
  const feed = new WsFeed(world, faults);
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

async function dispatch(ex: Exchange, routes: readonly RouteDef[], world: SimWorld, faults: FaultTable): Promise<void> {
  const { req, res, url, record, signal } = ex;
  const body = await readBody(req);
  if (body === "too-large") {
    writeReply(res, record, { ...errorReply(413, "request body too large"), headers: { connection: "close" } });
    return;
  }
  const match = matchRoute(routes, req.method ?? "GET", url.pathname);
  if (match.kind === "none") return writeReply(res, record, errorReply(404, "not found"));
  if (match.kind === "bad-path") return writeReply(res, record, errorReply(400, "malformed path"));
  if (match.kind === "method") {
    return writeReply(res, record, {
      ...errorReply(405, "method not allowed"),
      headers: { allow: match.allowed.join(", ") },
    });
  }
  const { route, params } = match;
  record.route = route.name;
  const denied = authorize(route.gate, req, world.options.secrets, world.options.orgId);
  if (denied) return writeReply(res, record, denied);

  const run = async (): Promise<Reply> => {
    let parsed: unknown;
    if (route.json) {
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        return errorReply(400, "request body must be valid JSON");
      }
    }
    const ctx: RouteContext = { req, url, params, body: parsed, world, faults, signal };
    return route.handle(ctx);
  };
  // After auth: a fault models the upstream misbehaving for a legitimate caller, and its
  // `times` then counts exactly the calls the client under test makes.
  const fault = isFaultRoute(route.name) ? faults.take(route.name) : undefined;
  if (fault) await respondWithFault(fault, { route: route.name, req, res, record, signal, run });
  else writeReply(res, record, await run());
}
