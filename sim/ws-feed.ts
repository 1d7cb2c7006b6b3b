import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { authorize } from "./auth";
import type { FaultTable } from "./faults";
import { errorReply, type Reply } from "./http-io";
import type { SimWorld } from "./state";
import type { FeedMessage, RequestRecord, SimEvent } from "./types";
import { refuseUpgradeWith } from "./upgrade-refusal";
import { upgradeWithFault } from "./ws-fault-responder";

export const FEED_PATH = "/ws";
const FEED_ROUTE = "tenant.ws";

/** SPEC §3: what `GET /ws` pushes for each tenant event. */
export function toFeedMessage(event: SimEvent): FeedMessage {
  return {
    event: event.event_type,
    workspace_id: event.workspace_id,
    timestamp: event.created_at,
    payload: event.payload,
  };
}

/**
 * The tenant's live event feed (SPEC §3 `GET /ws`), on the HTTP server's 'upgrade' event. An
 * upgrade goes through the same gates, in the same order, as a REST request in server.ts:
 * route, tenant auth, then a fault; each connection then gets every event appended after it
 * opened, never the history (that is `GET /events`).
 */
export class WsFeed {
  // No compression: messages are small, and a client under test should see plain frames.
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  /** The log record of each upgrade in flight, for handshakes that ws itself refuses. */
  private readonly records = new WeakMap<IncomingMessage, RequestRecord>();

  constructor(
    private readonly world: SimWorld,
    private readonly faults: FaultTable,
  ) {
    // A listener here makes ws hand a malformed handshake back instead of answering it itself,
    // so the 400 is logged like any other answer. A non-GET was already refused with 405.
    this.wss.on("wsClientError", (error, socket, req) => {
      const record = this.records.get(req);
      if (record) refuseUpgradeWith(socket, record, errorReply(400, error.message));
      else socket.destroy();
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A client vanishing mid-handshake (or a reset fault) must not surface as an unhandled error.
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const record = this.world.requestLog.open(req, url.pathname);
    socket.once("close", () => {
      record.done = true;
    });
    const refusal = this.gate(req, url, record);
    if (refusal) {
      refuseUpgradeWith(socket, record, refusal);
      return;
    }
    const accept = (opened?: (ws: WebSocket) => void) => this.accept(req, socket, head, record, opened);
    // After auth, as for the REST routes: `times` counts the connections the client under test makes.
    const fault = this.faults.take(FEED_ROUTE);
    if (fault) upgradeWithFault(fault, { socket: req.socket, record, timers: this.world.timers, accept });
    else accept();
  }

  /** Ends every open feed connection at once; sim close() must not wait for clients to hang up. */
  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  /** Route, method and tenant auth: the answer refusing this upgrade, or undefined to go on. */
  private gate(req: IncomingMessage, url: URL, record: RequestRecord): Reply | undefined {
    if (url.pathname !== FEED_PATH) return errorReply(404, "not found");
    if (req.method !== "GET") return { ...errorReply(405, "method not allowed"), headers: { allow: "GET" } };
    record.route = FEED_ROUTE;
    const { secrets, orgId } = this.world.options;
    return authorize("tenant", req, secrets, orgId);
  }

  private accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    record: RequestRecord,
    opened?: (ws: WebSocket) => void,
  ): void {
    // A delayed (slow) upgrade whose client gave up meanwhile.
    if (socket.destroyed) return;
    this.records.set(req, record);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      record.status = 101;
      this.push(ws, record);
      opened?.(ws);
    });
  }

  private push(ws: WebSocket, record: RequestRecord): void {
    const unsubscribe = this.world.onEvent((event) => {
      if (ws.readyState !== ws.OPEN) return;
      const text = JSON.stringify(toFeedMessage(event));
      record.bytes += Buffer.byteLength(text);
      ws.send(text);
    });
    ws.once("close", unsubscribe);
    // A protocol error from the client: ws closes the connection itself; only keep it from throwing.
    ws.on("error", () => {});
  }
}
