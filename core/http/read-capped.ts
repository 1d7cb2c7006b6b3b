import type { Readable } from "node:stream";

/** Drops a body we will not read; the abort error that destroying it raises is expected. */
export function discardBody(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}

/**
 * Reads at most `cap` bytes of a response body and then stops reading, so a misconfigured or
 * compromised upstream streaming a huge body can neither exhaust memory nor keep us waiting
 * for the rest (the seed's io.LimitReader caps: 64 KiB, 256 KiB, 512 bytes). Stopping early
 * destroys the stream, which closes the connection. Read with listeners rather than an async
 * iterator: a status sweep reads thousands of tiny bodies, and the iterator's promise per chunk
 * was a visible share of its time.
 */
export function readCapped(body: Readable, cap: number): Promise<Buffer> {
  if (cap <= 0) {
    discardBody(body);
    return Promise.resolve(Buffer.alloc(0));
  }
  // Already over before anyone listened (aborted by the deadline, or empty and done): its events
  // have fired, so answer now instead of waiting for them.
  if (body.readableEnded && !body.errored) return Promise.resolve(Buffer.alloc(0));
  if (body.destroyed) {
    return Promise.reject(
      body.errored ?? Object.assign(new Error("premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" }),
    );
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (error: Error | null) => {
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("error", onError);
      body.off("close", onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, total));
    };
    const onData = (chunk: Buffer) => {
      const room = cap - total;
      if (chunk.length < room) {
        chunks.push(chunk);
        total += chunk.length;
        return;
      }
      chunks.push(chunk.subarray(0, room));
      total += room;
      finish(null);
      discardBody(body);
    };
    const onEnd = () => finish(null);
    const onError = (error: Error) => finish(error);
    // Closed without end or error: the peer went away mid-body.
    const onClose = () => finish(Object.assign(new Error("premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" }));
    body.on("data", onData);
    body.once("end", onEnd);
    body.once("error", onError);
    body.once("close", onClose);
  });
}
