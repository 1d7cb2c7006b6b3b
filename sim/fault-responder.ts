import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Fault, OversizedShape } from "./faults";
import { goJson } from "./go-json-body";
import { JSON_TYPE, type Reply, writeRaw, writeReply } from "./http-io";
import { rateLimitedReply } from "./rate-limiter";
import type { RequestRecord } from "./types";

const CHUNK_BYTES = 64 * 1024;

/** The string field a json-string body inflates: the one the client of that route decodes. */
const FIELD: Readonly<Record<string, string>> = {
  "cp.provision": "instance_id",
  "cp.stop": "state",
  "cp.status": "state",
  "cp.console": "output",
  "tenant.console": "output",
  "tenant.restart": "status",
  "tenant.bootstrap-failed": "status",
};

export interface FaultExchange {
  route: string;
  /** What an `unauthorized` fault says: the refusal of the route's own auth gate. */
  unauthorized: string;
  /** X-RateLimit-Limit of a 429 fault: the sim's limiter, else the platform's default (600). */
  rateLimit: number;
  req: IncomingMessage;
  res: ServerResponse;
  record: RequestRecord;
  signal: AbortSignal;
  /** The route's normal answer (with its side effects), for faults that wrap it. */
  run: () => Promise<Reply>;
}

export async function respondWithFault(fault: Fault, ex: FaultExchange): Promise<void> {
  switch (fault.kind) {
    case "status": {
      const { payload, contentType, headers } = statusFaultBody(fault, ex.rateLimit);
      writeRaw(ex.res, ex.record, fault.status, payload, contentType, headers);
      return;
    }
    case "unauthorized":
      writeReply(ex.res, ex.record, { status: 401, body: { error: ex.unauthorized } });
      return;
    case "slow":
      await sleep(fault.delayMs, undefined, { signal: ex.signal, ref: false });
      writeReply(ex.res, ex.record, await ex.run());
      return;
    case "blackhole":
      // Never answer; the socket is destroyed by the client's timeout or by close().
      return;
    case "reset":
      ex.req.socket.resetAndDestroy();
      return;
    case "drop":
      // A plain close rather than a RST: the peer sees the connection end mid-request, as when
      // a proxy or NAT in between gives up on it.
      await sleep(fault.afterMs, undefined, { signal: ex.signal, ref: false });
      ex.req.socket.destroy();
      return;
    case "malformed": {
      const json = goJson((await ex.run()).body);
      const cut = Math.min(json.length - 1, Math.max(1, Math.floor(json.length * 0.6)));
      writeRaw(ex.res, ex.record, 200, Buffer.from(json.slice(0, cut)), JSON_TYPE);
      return;
    }
    case "oversized":
      await streamOversized(ex, fault.bytes, fault.shape ?? "json-string");
      return;
  }
}

/**
 * What a status fault sends: the planted body verbatim, the rate limiter's 429 (Retry-After and
 * X-RateLimit-* headers, {"error":"rate limit exceeded","retry_after":N}), or a JSON error naming
 * the fault.
 */
export function statusFaultBody(
  fault: { status: number; body?: string; retryAfter?: number },
  rateLimit: number,
): { payload: Buffer; contentType: string; headers: Record<string, string> } {
  if (fault.status === 429 && fault.body === undefined) {
    const wait = fault.retryAfter ?? 1;
    const limited = rateLimitedReply(wait);
    return {
      payload: Buffer.from(goJson(limited.body)),
      contentType: JSON_TYPE,
      headers: {
        "x-ratelimit-limit": String(rateLimit),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(wait),
        "retry-after": String(wait),
      },
    };
  }
  const body = fault.body ?? JSON.stringify({ error: `sim fault: status ${fault.status}` });
  return {
    payload: Buffer.from(body),
    contentType: isJson(body) ? JSON_TYPE : "text/plain; charset=utf-8",
    headers: {},
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Streams `bytes` of filler without ever holding them: one reused chunk, written only when
 * the socket drains, abandoned as soon as the client goes away. A client that caps its
 * reads (docs/contracts.md §2: 64 KiB, 256 KiB) and aborts must leave this server nearly idle.
 */
async function streamOversized(ex: FaultExchange, bytes: number, shape: OversizedShape): Promise<void> {
  let head: string;
  let tail = "";
  let unit: string;
  if (shape === "padded-json") {
    head = goJson((await ex.run()).body);
    unit = " ";
  } else if (shape === "json-string") {
    head = `{"${FIELD[ex.route] ?? "error"}":"`;
    tail = '"}';
    unit = "A";
  } else {
    head = "<!DOCTYPE html><html><body>";
    unit = "\u0000\u00ff<garbage/>";
  }
  const { res, record } = ex;
  if (res.destroyed) return;
  record.status = 200;
  res.writeHead(200, { "content-type": shape === "garbage" ? "text/html" : JSON_TYPE });
  const chunk = Buffer.from(unit.repeat(Math.ceil(CHUNK_BYTES / unit.length))).subarray(0, CHUNK_BYTES);
  if (!(await send(ex, Buffer.from(head)))) return;
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (!(await send(ex, left >= chunk.length ? chunk : chunk.subarray(0, left)))) return;
  }
  if (tail && !(await send(ex, Buffer.from(tail)))) return;
  res.end();
}

/** Writes one chunk and waits for the socket to drain; false once the client is gone. */
async function send(ex: FaultExchange, data: Buffer): Promise<boolean> {
  const { res, record } = ex;
  if (res.destroyed || ex.signal.aborted) return false;
  const flushed = res.write(data);
  record.bytes += data.length;
  if (!flushed) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.on("drain", done);
      res.on("close", done);
    });
  }
  return !res.destroyed && !ex.signal.aborted;
}
