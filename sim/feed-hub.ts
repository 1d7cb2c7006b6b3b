import type { WebSocket } from "ws";
import type { SimClock } from "./clock";
import { goJson } from "./go-json-body";
import { formatRfc3339Nano } from "./go-time-format";
import type { Timers } from "./timers";
import type { FeedMessage, RequestRecord } from "./types";

export interface FeedClient {
  ws: WebSocket;
  record: RequestRecord;
  /** X-Workspace-ID of an agent connection; "" for a canvas (or console) client, which gets everything. */
  agentWorkspaceId: string;
}

interface Queued {
  /** ns since the epoch: a ms clock could send it up to a millisecond before its lag is over. */
  dueNs: bigint;
  event: string;
  workspaceId: string;
  payload: Record<string, unknown>;
}

/** ws/hub.go gives each client a 256-message channel and drops what does not fit; bytes are our measure. */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * The tenant's WebSocket hub (ws/hub.go) and the broadcast half of events/broadcaster.go.
 * Messages go out in the order they were broadcast; each is stamped when it is sent
 * (WSMessage.Timestamp = time.Now().UTC()), so a recorded event, sent after its INSERT, carries
 * a later time than its created_at. A message is serialized once, whatever the number of clients.
 */
export class FeedHub {
  private readonly clients = new Set<FeedClient>();
  private readonly queue: Queued[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(message: FeedMessage) => void>();

  constructor(
    private readonly clock: SimClock,
    private readonly timers: Timers,
  ) {}

  add(client: FeedClient): () => void {
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  /** Whether anyone would receive a message: lets a busy sim skip building payloads. */
  get listening(): boolean {
    return this.clients.size > 0 || this.listeners.size > 0;
  }

  /** Every message as it is sent (for in-process consumers, e.g. a benchmark counting them). */
  onMessage(listener: (message: FeedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Broadcasts after `delayMs` (RecordAndBroadcast's INSERT), or at once (BroadcastOnly), keeping the order. */
  broadcast(event: string, workspaceId: string, payload: Record<string, unknown>, delayMs = 0): void {
    if (this.queue.length === 0 && delayMs <= 0) {
      this.send(event, workspaceId, payload);
      return;
    }
    const dueNs = this.clock.nowNs() + BigInt(Math.ceil(delayMs * 1_000_000));
    this.queue.push({ dueNs, event, workspaceId, payload });
    this.arm();
  }

  /** Ends every connection at once (close() must not wait for clients to hang up). */
  close(): void {
    this.timers.cancel(this.timer);
    this.queue.length = 0;
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    const head = this.queue[0];
    if (!head) return;
    const waitMs = Math.max(0, Math.ceil(Number(head.dueNs - this.clock.nowNs()) / 1_000_000));
    this.timer = this.timers.after(waitMs, () => {
      this.timer = undefined;
      this.drain();
    });
  }

  private drain(): void {
    const now = this.clock.nowNs();
    while (this.queue.length > 0 && (this.queue[0] as Queued).dueNs <= now) {
      const next = this.queue.shift() as Queued;
      this.send(next.event, next.workspaceId, next.payload);
    }
    this.arm();
  }

  private send(event: string, workspaceId: string, payload: Record<string, unknown>): void {
    if (!this.listening) return;
    // models.WSMessage is a struct: its fields marshal in declaration order.
    const message: FeedMessage = {
      event,
      workspace_id: workspaceId,
      timestamp: formatRfc3339Nano(this.clock.nowNs()),
      payload,
    };
    for (const listener of this.listeners) listener(message);
    if (this.clients.size === 0) return;
    const text = goJson(message);
    const bytes = Buffer.byteLength(text);
    for (const client of this.clients) {
      // Agent connections only get events of workspaces they CanCommunicate with; the sim's agent
      // connections are of workspaces it does not know, which can talk to none.
      if (client.agentWorkspaceId !== "") continue;
      if (client.ws.readyState !== client.ws.OPEN || client.ws.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      client.record.bytes += bytes;
      client.ws.send(text);
    }
  }
}
