import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { FaultTable } from "./faults";
import { agentConnectionRefusal, upgraderError, upgraderRefusal } from "./feed-handshake";
import { errorReply, type Reply, textReply } from "./http-io";
import { header } from "./request-headers";
import { validPathEncoding } from "./router";
import type { SimWorld } from "./state";
import type { TenantAccess } from "./tenant-access";
import { noRouteReply, screenTenantRequest } from "./tenant-middleware";
import type { RequestRecord } from "./types";
import { refuseUpgradeWith } from "./upgrade-refusal";
import { upgradeWithFault } from "./ws-fault-responder";

export const FEED_PATH = "/ws";
const FEED_ROUTE = "tenant.ws";

interface Pending {
  record: RequestRecord;
  headers: Record<string, string | string[]>;
}

/**
 * The tenant's live feed (docs/contracts.md §3 `GET /ws`, handlers/socket.go), on the HTTP server's 'upgrade'
 * event. An upgrade is screened like a REST request (the edge, CORS, the rate limiter, the org
 * guard), then HandleConnect checks an agent's token (a client without X-Workspace-ID needs no
 * credential), then a fault if one is armed, then gorilla's own checks. Each connection gets
 * every message broadcast after it opened (FeedHub), never the history (that is GET /events).
 */
export class WsFeed {
  // No compression: messages are small, and a client under test should see plain frames.
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  /** The log record and middleware headers of each upgrade in flight, for handshakes ws refuses itself. */
  private readonly pending = new WeakMap<IncomingMessage, Pending>();

  constructor(
    private readonly world: SimWorld,
    private readonly faults: FaultTable,
    private readonly access: TenantAccess,
  ) {
    // A listener here makes ws hand a malformed handshake back instead of answering it itself,
    // so the answer is gorilla's (400 "Bad Request") and is logged like any other.
    this.wss.on("wsClientError", (_error, socket, req) => {
      const pending = this.pending.get(req);
      if (pending) this.refuse(socket, req, pending, upgraderError(400, "Bad Request"));
      else socket.destroy();
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A client vanishing mid-handshake (or a reset fault) must not surface as an unhandled error.
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const record = this.world.requestLog.open(req, url.pathname);
    const started = process.hrtime.bigint();
    socket.once("close", () => {
      record.done = true;
    });
    const pending: Pending = { record, headers: {} };
    this.pending.set(req, pending);
    this.access.track(req, started, url);
    const refusal = this.screen(req, url, pending);
    if (refusal) {
      this.refuse(socket, req, pending, refusal);
      return;
    }
    const accept = (opened?: (ws: WebSocket) => void) => this.accept(req, socket, head, pending, opened);
    // After auth, as for the REST routes: `times` counts the connections the client under test makes.
    const fault = this.faults.take(FEED_ROUTE);
    if (!fault) {
      accept();
      return;
    }
    upgradeWithFault(fault, {
      socket: req.socket as Socket,
      record,
      timers: this.world.timers,
      headers: pending.headers,
      rateLimit: this.world.options.rateLimit || 600,
      accept,
    });
  }

  /** Ends every open feed connection at once; sim close() must not wait for clients to hang up. */
  close(): void {
    this.world.feed.close();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  /** Everything in front of the handler, and HandleConnect's own check: the refusal, or undefined to go on. */
  private screen(req: IncomingMessage, url: URL, pending: Pending): Reply | undefined {
    const path = url.pathname;
    if (!validPathEncoding(path)) return textReply(400, "400 Bad Request", "text/plain; charset=utf-8");
    // The CP does not serve websockets.
    if (path.startsWith("/cp/") || path.startsWith("/_sim/")) return errorReply(404, "not found");
    // Only GET /ws upgrades; the sim serves no REST route over an upgrade request. gin picks the
    // route before its middleware runs, so a refusal there is still this route's.
    const routed = path === FEED_PATH && req.method === "GET";
    if (routed) pending.record.route = FEED_ROUTE;
    const screening = screenTenantRequest(req, path, this.world.options, this.access.limiter);
    pending.headers = screening.headers;
    if (screening.edge) this.access.forget(req);
    if (screening.answer) return screening.answer;
    if (!routed) return noRouteReply(this.world.options);
    return agentConnectionRefusal(this.world, req);
  }

  private refuse(socket: Duplex, req: IncomingMessage, pending: Pending, answer: Reply): void {
    refuseUpgradeWith(socket, pending.record, answer, pending.headers);
    this.access.logged(req, answer.status);
  }

  private accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pending: Pending,
    opened?: (ws: WebSocket) => void,
  ): void {
    // A delayed (slow) upgrade whose client gave up meanwhile.
    if (socket.destroyed) return;
    const refusal = upgraderRefusal(req, this.world.options.corsOrigins);
    if (refusal) {
      this.refuse(socket, req, pending, refusal);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      pending.record.status = 101;
      const agentWorkspaceId = header(req, "x-workspace-id");
      const remove = this.world.feed.add({ ws, record: pending.record, agentWorkspaceId });
      ws.once("close", remove);
      // A protocol error from the client: ws closes the connection itself; only keep it from throwing.
      ws.on("error", () => {});
      this.world.log.printf(
        this.world.clock.now(),
        `WebSocket client connected (workspace=${JSON.stringify(agentWorkspaceId)})`,
      );
      // gin logs the hijacked request when HandleConnect returns, with the status it never wrote: 200.
      this.access.logged(req, 200);
      opened?.(ws);
    });
  }
}
