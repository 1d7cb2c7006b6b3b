import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { encodeReply, type RawAnswer, type Reply, recordAnswer } from "./http-io";
import type { RequestRecord } from "./types";

/**
 * An upgrade request that is not accepted still gets an ordinary HTTP answer, so a client sees
 * the same 401/404/429 it would get from the REST routes. Node hands an upgrade request over
 * with only the raw socket (no ServerResponse), hence the status line written by hand. The
 * connection is closed afterwards: a refused handshake leaves nothing to keep it open for.
 */
export function refuseUpgrade(socket: Duplex, record: RequestRecord, ...answer: RawAnswer): void {
  if (socket.destroyed || !socket.writable) return;
  const fields = recordAnswer(record, ...answer);
  const [status, payload] = answer;
  fields.connection = "close";
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Unknown"}`];
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) head.push(`${name}: ${item}`);
  }
  // Destroy only once the answer is flushed: destroying right away could discard it.
  socket.once("finish", () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), payload]));
}

/** A Reply (JSON or text), with the middleware's headers under the reply's own. */
export function refuseUpgradeWith(
  socket: Duplex,
  record: RequestRecord,
  answer: Reply,
  headers: Record<string, string | string[]> = {},
): void {
  const { payload, contentType } = encodeReply(answer);
  refuseUpgrade(socket, record, answer.status, payload, contentType, { ...headers, ...answer.headers });
}
