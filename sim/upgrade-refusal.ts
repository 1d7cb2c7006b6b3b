import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { Reply } from "./http-io";
import type { RequestRecord } from "./types";

/**
 * An upgrade request that is not accepted still gets an ordinary HTTP answer, so a client sees
 * the same 401/404/503 it would get from the REST routes. Node hands an upgrade request over
 * with only the raw socket (no ServerResponse), hence the status line written by hand. The
 * connection is closed afterwards: a refused handshake leaves nothing to keep it open for.
 */
export function refuseUpgrade(
  socket: Duplex,
  record: RequestRecord,
  status: number,
  payload: Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (socket.destroyed || !socket.writable) return;
  record.status = status;
  record.bytes += payload.length;
  const fields = {
    ...headers,
    "content-type": contentType,
    "content-length": String(payload.length),
    connection: "close",
  };
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Unknown"}`,
    ...Object.entries(fields).map(([name, value]) => `${name}: ${value}`),
  ];
  // Destroy only once the answer is flushed: destroying right away could discard it.
  socket.once("finish", () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), payload]));
}

/** The JSON form, for the answers the routes give as a Reply (auth refusals, 404, 405). */
export function refuseUpgradeWith(socket: Duplex, record: RequestRecord, answer: Reply): void {
  const payload = Buffer.from(JSON.stringify(answer.body), "utf8");
  refuseUpgrade(socket, record, answer.status, payload, "application/json; charset=utf-8", answer.headers);
}
