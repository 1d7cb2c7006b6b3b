import { Worker } from "node:worker_threads";
import type { Redactor } from "../config/redactor";
import { approxEventCount, buildReadIndexes, dropReadIndexes } from "../store/read-indexes";
import type { Store } from "../store/store";
import { BatchWriter } from "./batch-writer";
import { inputError, type LogInput, openLogInput } from "./open-log-input";
import type { FromParser, ParserSettings, ToParser } from "./parse-worker";
import type { ParseStats } from "./record-batch";
import { RecordBatcher } from "./record-batcher";

export interface ImportReport extends ParseStats {
  /** Records read (new ones and ones already in the cache) is `events`; of them: */
  added: number;
  duplicates: number;
  /** Workspace→instance bindings learnt from provision.ec2_started / ec2_stopped. */
  bindings: number;
  gzip: boolean;
}

export interface ImportProgress {
  sourceBytes: number;
  lines: number;
  events: number;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** Longer lines are reported as malformed instead of buffered. */
  maxLineBytes?: number;
  /**
   * Records per transaction (default 2,000): each batch lands whole or not at all (kill -9
   * safe). Small batches die young in the V8 heap (an import stays near 100 MB) and keep the
   * parser and the writer threads busy at once (measured: 4,000 was 5% slower, 1,000 no faster).
   */
  batchSize?: number;
  /** Parse on a worker thread; default: for files of 16 MiB and more. */
  parallel?: boolean;
  /** The profile's secrets, removed from every record before it is stored (docs/contracts.md §5). */
  redactor?: Redactor;
}

/** Below this a log is imported with its indexes in place and parsed on the calling thread. */
const LARGE_LOG_BYTES = 16 << 20;
/** Platform logs average ~130 bytes a line and a third of the lines are records; gzip packs ~8:1. */
const BYTES_PER_RECORD = 400;

/**
 * Streams a platform log (plain or gzip, file or stdin) into the cache. Large logs are parsed
 * on a worker thread while this thread writes, and loaded without the read indexes, which are
 * rebuilt at the end. Re-importing adds nothing. A broken input (truncated gzip) keeps what was
 * read before the damage and throws an Input error carrying the report.
 */
export async function importProvlog(
  store: Store,
  source: string | NodeJS.ReadableStream,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const input = await openLogInput(source);
  const expectedBytes = input.totalBytes === null ? 0 : input.gzip ? input.totalBytes * 8 : input.totalBytes;
  const large = expectedBytes >= LARGE_LOG_BYTES;
  // A large log into a cache it would grow by a quarter or more: the scattered (workspace, ts)
  // index inserts would otherwise cost more than everything else of the import together.
  const bulk = large && expectedBytes / BYTES_PER_RECORD >= approxEventCount(store.db) / 4;
  const writer = new BatchWriter(store, options.redactor);
  const settings: ParserSettings = {
    batchSize: options.batchSize ?? 2000,
    maxLineBytes: options.maxLineBytes ?? 16 << 20,
    credit: 4,
  };
  if (bulk) dropReadIndexes(store.db);
  let parsed: Parsed;
  try {
    parsed = await ((options.parallel ?? large) ? parseOnWorker : parseHere)(input, writer, settings, options);
  } finally {
    if (bulk) buildReadIndexes(store.db);
  }
  const report: ImportReport = {
    ...parsed.stats,
    added: writer.added,
    duplicates: writer.duplicates,
    bindings: writer.bindings,
    gzip: input.gzip,
  };
  if (parsed.failure !== null) throw Object.assign(inputError(source, parsed.failure), { report });
  return report;
}

interface Parsed {
  stats: ParseStats;
  /** The input error that ended the read early, if any. */
  failure: unknown;
}

async function parseHere(
  input: LogInput,
  writer: BatchWriter,
  settings: ParserSettings,
  options: ImportOptions,
): Promise<Parsed> {
  const batcher = new RecordBatcher((b) => writer.write(b), settings.batchSize, settings.maxLineBytes);
  let failure: unknown = null;
  try {
    for await (const chunk of input.stream) {
      batcher.push(chunk);
      const s = batcher.snapshot();
      options.onProgress?.({ sourceBytes: input.sourceBytes(), lines: s.lines, events: s.events });
    }
  } catch (error) {
    failure = error;
  }
  batcher.end();
  return { stats: batcher.snapshot(), failure };
}

function parseOnWorker(
  input: LogInput,
  writer: BatchWriter,
  settings: ParserSettings,
  options: ImportOptions,
): Promise<Parsed> {
  const worker = startParser(settings);
  const chunks = input.stream[Symbol.asyncIterator]();
  const send = (m: ToParser, transfer: ArrayBuffer[] = []) => worker.postMessage(m, transfer);
  let failure: unknown = null;
  // One chunk is always being read ahead, so the parser never waits on the disk.
  const readAhead = () => {
    const next = chunks.next();
    next.catch(() => {}); // seen by the feed that awaits it; never an unhandled rejection
    return next;
  };
  let ahead = readAhead();
  let ended = false;
  // The parser asks for more than one chunk ahead: the answers go out one after the other, in order.
  let feeding = Promise.resolve();
  return new Promise<Parsed>((resolve, reject) => {
    const feed = async () => {
      if (ended) return;
      try {
        const next = await ahead;
        if (next.done) {
          ended = true;
          return send({ type: "end" });
        }
        ahead = readAhead();
        const own = ownBuffer(next.value);
        send({ type: "chunk", data: own }, [own.buffer as ArrayBuffer]);
      } catch (error) {
        failure = error;
        ended = true;
        send({ type: "end" });
      }
    };
    worker.on("message", (m: FromParser) => {
      try {
        if (m.type === "need") feeding = feeding.then(feed);
        else if (m.type === "batch") {
          writer.write(m.batch);
          send({ type: "credit" });
          options.onProgress?.({ sourceBytes: input.sourceBytes(), lines: m.lines, events: m.events });
        } else resolve({ stats: m.stats, failure });
      } catch (error) {
        // A write failed (disk full, say): stop parsing; what was committed stays.
        void worker.terminate();
        reject(error);
      }
    });
    worker.on("error", reject);
  });
}

/** A chunk that owns its whole ArrayBuffer, so it can be moved to the worker without copying. */
function ownBuffer(chunk: Buffer): Uint8Array {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) return chunk;
  return new Uint8Array(chunk);
}

function startParser(settings: ParserSettings): Worker {
  // An 8 MiB young generation (V8 would take 16 and more) keeps the parser's short-lived
  // strings from lifting the import's memory past 150 MB, at no cost in time (measured).
  const options = { workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: 8 } };
  // The CLI's launcher says where the bundled parser is; from TypeScript sources (the tests)
  // a small loader compiles it with tsx.
  const bundled = (globalThis as { moleculeOpsWorkers?: { parse?: string } }).moleculeOpsWorkers?.parse;
  return new Worker(new URL(bundled ?? "./parse-worker-from-source.mjs", import.meta.url), options);
}
