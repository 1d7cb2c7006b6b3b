import type { IncomingMessage, ServerResponse } from "node:http";
import { goJson } from "./go-json-body";
import type { RequestRecord } from "./types";

/**
 * What a route or a middleware answers; the pipeline (or a fault) turns it into bytes. A JSON
 * `body` is written as gin's c.JSON writes it; `text` is sent verbatim with `contentType`
 * (null: no Content-Type at all, as gin's AbortWithStatus sends an empty answer).
 */
export interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  contentType?: string | null;
  headers?: Record<string, string | string[]>;
}

export const JSON_TYPE = "application/json; charset=utf-8";

export function reply(status: number, body: unknown, headers?: Record<string, string | string[]>): Reply {
  return headers === undefined ? { status, body } : { status, body, headers };
}

export function errorReply(status: number, error: string): Reply {
  return { status, body: { error } };
}

/** An answer with no body and no Content-Type (gin's c.AbortWithStatus). */
export function emptyReply(status: number): Reply {
  return { status, text: "", contentType: null };
}

export function textReply(status: number, text: string, contentType: string): Reply {
  return { status, text, contentType };
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

/** The bytes and Content-Type of a Reply. */
export function encodeReply(answer: Reply): { payload: Buffer; contentType: string | null } {
  if (answer.text !== undefined)
    return { payload: Buffer.from(answer.text, "utf8"), contentType: answer.contentType ?? null };
  return { payload: Buffer.from(goJson(answer.body), "utf8"), contentType: JSON_TYPE };
}

export function writeReply(res: ServerResponse, record: RequestRecord, answer: Reply): void {
  const { payload, contentType } = encodeReply(answer);
  writeRaw(res, record, answer.status, payload, contentType, answer.headers);
}

/** An answer as bytes: its status, its body, its Content-Type (null: none) and any other headers. */
export type RawAnswer = [
  status: number,
  payload: Buffer,
  contentType: string | null,
  headers?: Record<string, string | string[]>,
];

/**
 * Records an answer about to be written (its status and size) and returns its header fields:
 * `headers`, then its Content-Length and Content-Type.
 */
export function recordAnswer(
  record: RequestRecord,
  ...[status, payload, contentType, headers = {}]: RawAnswer
): Record<string, string | string[]> {
  record.status = status;
  record.bytes += payload.length;
  const fields: Record<string, string | string[]> = { ...headers, "content-length": String(payload.length) };
  if (contentType !== null) fields["content-type"] = contentType;
  return fields;
}

export function writeRaw(res: ServerResponse, record: RequestRecord, ...answer: RawAnswer): void {
  if (res.headersSent || res.destroyed) return;
  const fields = recordAnswer(record, ...answer);
  const [status, payload] = answer;
  res.writeHead(status, fields);
  res.end(payload);
}
