import { createReadStream, statSync } from "node:fs";
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { OpsError } from "../errors";

export interface LogInput {
  /** Decompressed bytes. */
  stream: AsyncIterable<Buffer>;
  gzip: boolean;
  /** Bytes read from the source so far (compressed bytes for gzip), for progress. */
  sourceBytes(): number;
  /** Size of the source file, when it is one. */
  totalBytes: number | null;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * A plain or gzip log (detected by its magic bytes, not its name: rotated logs are renamed
 * freely), from a file or any stream such as stdin.
 */
export async function openLogInput(source: string | NodeJS.ReadableStream): Promise<LogInput> {
  const raw = typeof source === "string" ? createReadStream(source, { highWaterMark: 1 << 20 }) : (source as Readable);
  const totalBytes = typeof source === "string" ? sizeOf(source) : null;
  let read = 0;
  const iterator = (raw as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (cause) {
    throw inputError(source, cause);
  }
  if (first.done) return { stream: empty(), gzip: false, sourceBytes: () => 0, totalBytes };
  const head = toBuffer(first.value);
  read += head.length;
  async function* counted(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const chunk = toBuffer(next.value);
      read += chunk.length;
      yield chunk;
    }
  }
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  if (!gzip) return { stream: counted(), gzip, sourceBytes: () => read, totalBytes };
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  // pipeline, not pipe: a read error of the source must reach whoever iterates the gunzip.
  pipeline(Readable.from(counted()), gunzip, (error) => {
    if (error) gunzip.destroy(error);
  });
  return { stream: gunzip, gzip, sourceBytes: () => read, totalBytes };
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null; // the read below reports why
  }
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === "string" ? Buffer.from(chunk) : chunk;
}

async function* empty(): AsyncGenerator<Buffer> {}

export function inputError(source: string | NodeJS.ReadableStream, cause: unknown): OpsError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const what = typeof source === "string" ? source : "standard input";
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : code === "Z_BUF_ERROR" || code === "Z_DATA_ERROR"
            ? "the gzip data is truncated or corrupt"
            : (code ?? (cause as Error)?.message ?? "read error");
  return new OpsError("Input", `cannot read ${what}: ${reason}`, { cause });
}
