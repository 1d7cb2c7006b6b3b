import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestRecord } from "./types";

/** What a route answers; the pipeline (or a fault) turns it into bytes. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function reply(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers === undefined ? { status, body } : { status, body, headers };
}

export function errorReply(status: number, error: string): Reply {
  return { status, body: { error } };
}

/** Request bodies above this are refused with 413: nothing the platform accepts is that big. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Above this we do not even drain the body before answering 413; we close the connection. */
export const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

/** The whole body, or "too-large" once it passed `max` (the rest is drained so the client reads our 413). */
export async function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer | "too-large"> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > DRAIN_LIMIT_BYTES) return "too-large";
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > DRAIN_LIMIT_BYTES) return "too-large";
    if (total <= max) chunks.push(chunk);
  }
  return total > max ? "too-large" : Buffer.concat(chunks);
}

export function writeReply(res: ServerResponse, record: RequestRecord, answer: Reply): void {
  const payload = Buffer.from(JSON.stringify(answer.body), "utf8");
  writeRaw(res, record, answer.status, payload, "application/json; charset=utf-8", answer.headers);
}

export function writeRaw(
  res: ServerResponse,
  record: RequestRecord,
  status: number,
  payload: Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  record.status = status;
  res.writeHead(status, { ...headers, "content-type": contentType, "content-length": String(payload.length) });
  record.bytes += payload.length;
  res.end(payload);
}
