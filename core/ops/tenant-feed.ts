import { WebSocket } from "undici";
import type { FeedState } from "../api/views";
import type { Redactor } from "../config/redactor";
import { parseRedactedJson } from "../http/redacted-json";
import { isRecord } from "../tenant/tenant-records";

/** The API's own view types (core/api/views.ts), which these values are. */
export type { FeedState };

/** A pushed tenant event (docs/contracts.md §3: `{event, workspace_id, timestamp, payload}`). */
export interface PushedEvent {
  event: string;
  workspaceId: string | null;
  /** ms since epoch; null when the timestamp is absent or unreadable. */
  at: number | null;
  /** As sent (RFC 3339), for the event's identity. */
  timestamp: string | null;
  payload: Record<string, unknown>;
}

export interface TenantFeedOptions {
  /** The tenant's base URL (http or https); the feed is its /ws. */
  baseUrl: string;
  headers: Record<string, string>;
  /** Every configured secret, removed from each message before it is parsed (docs/contracts.md §5). */
  redactor?: Redactor;
  onEvent: (event: PushedEvent) => void;
  /** Each time the feed (re)opens: events were missed while it was down, so the caller relists. */
  onOpen?: () => void;
  onState?: (state: FeedState, detail: { attempt: number; retryInMs: number | null }) => void;
  /** First retry delay ceiling (default 500 ms) and the largest (default 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A connection that stayed up this long resets the backoff (default 10 s). */
  stableMs?: number;
  random?: () => number;
}

/**
 * The tenant's /ws event feed, kept open: after any close or failure it reconnects with
 * exponential backoff and full jitter (a tenant restart must not bring every open console back
 * in the same second). Messages that are not event objects are ignored, not fatal.
 */
export class TenantFeed {
  private socket: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private openedAt = 0;
  private stopped = false;
  state: FeedState = "closed";

  constructor(private readonly options: TenantFeedOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.setState("closed", null);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState("connecting", null);
    let socket: WebSocket;
    try {
      socket = new WebSocket(feedUrl(this.options.baseUrl), { headers: this.options.headers });
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.openedAt = Date.now();
      this.setState("open", null);
      this.options.onOpen?.();
    });
    socket.addEventListener("message", (m) => {
      if (typeof m.data !== "string") return;
      const event = parsePushedEvent(m.data, this.options.redactor);
      if (event) this.options.onEvent(event);
    });
    // An error is always followed by close; retry once, from close.
    socket.addEventListener("error", () => {});
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.openedAt && Date.now() - this.openedAt >= (this.options.stableMs ?? 10_000)) this.attempt = 0;
      this.openedAt = 0;
      this.retry();
    });
  }

  private retry(): void {
    if (this.stopped) return;
    const base = this.options.baseDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 30_000;
    const ceiling = Math.min(max, base * 2 ** Math.min(this.attempt, 20));
    const delay = Math.round((this.options.random ?? Math.random)() * ceiling);
    this.attempt++;
    this.setState("waiting", delay);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
    this.timer.unref?.();
  }

  private setState(state: FeedState, retryInMs: number | null): void {
    this.state = state;
    this.options.onState?.(state, { attempt: this.attempt, retryInMs });
  }
}

function feedUrl(baseUrl: string): string {
  const url = new URL("ws", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/** One message, or null when it is not an event object (ignored: the feed is advisory). */
export function parsePushedEvent(text: string, redactor?: Redactor): PushedEvent | null {
  let value: unknown;
  if (redactor) {
    const parsed = parseRedactedJson(text, redactor);
    if (!parsed.ok) return null;
    value = parsed.value;
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
  }
  if (!isRecord(value) || typeof value.event !== "string" || value.event === "") return null;
  const timestamp = typeof value.timestamp === "string" ? value.timestamp : null;
  const at = timestamp === null ? Number.NaN : Date.parse(timestamp);
  return {
    event: value.event,
    workspaceId: typeof value.workspace_id === "string" && value.workspace_id !== "" ? value.workspace_id : null,
    at: Number.isFinite(at) ? at : null,
    timestamp,
    payload: isRecord(value.payload) ? value.payload : {},
  };
}
