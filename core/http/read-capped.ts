import type { Readable } from "node:stream";

/**
 * Reads at most `cap` bytes of a response body and then stops reading, so a misconfigured or
 * compromised upstream streaming a huge body can neither exhaust memory nor keep us waiting
 * for the rest (the seed's io.LimitReader caps: 64 KiB, 256 KiB, 512 bytes).
 * Leaving the loop early destroys the stream, which closes the connection.
 */
/** Drops a body we will not read; the abort error that destroying it raises is expected. */
export function discardBody(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}

export async function readCapped(body: Readable & AsyncIterable<Buffer>, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  if (cap <= 0) {
    discardBody(body);
    return Buffer.alloc(0);
  }
  for await (const chunk of body) {
    const room = cap - total;
    if (chunk.length >= room) {
      chunks.push(chunk.subarray(0, room));
      total += room;
      break;
    }
    chunks.push(chunk);
    total += chunk.length;
  }
  if (!body.destroyed && total >= cap) discardBody(body);
  return Buffer.concat(chunks, total);
}
