import { identityHash53 } from "../store/dedup-hash";
import { NO_STAMP } from "../store/timeline-events";
import { LineSplitter } from "./line-splitter";
import { parseProvlogLine } from "./parse";
import { newBatch, type ParseStats, type RecordBatch } from "./record-batch";

const EVT = Buffer.from("evt: ");
/** The parser decides record-or-noise within this many bytes of a line's start (two stamps + "evt: "). */
const DECISION_BYTES = 96;
const FIRST_MALFORMED_KEPT = 20;
const RECENT_IDENTITIES = 4096;

/**
 * Turns log bytes into batches of records: splits lines, decodes only lines whose start shows
 * "evt: " (the rest are counted and skipped without becoming strings), parses them tolerantly
 * and computes each record's identity. Pure computation: it runs on the import's own thread
 * for small logs and on a worker thread for large ones.
 */
export class RecordBatcher {
  private readonly stats: ParseStats = {
    lines: 0,
    events: 0,
    skipped: 0,
    malformed: 0,
    first_malformed: [],
    marshal_errors: 0,
    nul_lines: 0,
    workspaces: 0,
    bytes: 0,
  };
  private readonly workspaces = new Set<string>();
  private batch: RecordBatch;
  private readonly splitter: LineSplitter;
  // Identical records at one timestamp are distinct occurrences (Go stamps have no fraction):
  // counting them keeps both and still dedups a re-import. The identity includes the stamp, so
  // one count covers them all; the most recent 4k-8k identities are remembered (two
  // generations of maps: a Map that evicts one by one slows down on V8), since writers
  // interleave and a log is only roughly in time order. Records without a stamp are counted
  // over the whole file: nothing else tells them apart. Keyed by the identity's hash, a number
  // (the two generations are typed-array tables: a Map keyed by 53-bit numbers cost 0.6 µs a record).
  private recent = new HashCounts(RECENT_IDENTITIES);
  private older = new HashCounts(RECENT_IDENTITIES);
  private readonly seenUnstamped = new Map<number, number>();
  // Where the next "evt: " sits in the current chunk: one forward scan per chunk, not per line.
  private scanBuf: Buffer | null = null;
  private scanAt = -1;

  constructor(
    private readonly onBatch: (batch: RecordBatch) => void,
    private readonly batchSize: number,
    maxLineBytes: number,
  ) {
    this.batch = newBatch(batchSize);
    this.splitter = new LineSplitter(
      { line: (buf, start, end) => this.line(buf, start, end), tooLong: (head, length) => this.tooLong(head, length) },
      maxLineBytes,
    );
  }

  push(chunk: Buffer): void {
    this.stats.bytes += chunk.length;
    this.splitter.push(chunk);
  }

  /** The input ended (or broke): the last line and the last partial batch go out. */
  end(): void {
    this.splitter.end();
    this.emit();
  }

  snapshot(): ParseStats {
    return { ...this.stats, first_malformed: [...this.stats.first_malformed], workspaces: this.workspaces.size };
  }

  private line(buf: Buffer, start: number, end: number): void {
    this.stats.lines++;
    const window = Math.min(end, start + DECISION_BYTES);
    const at = this.evtAt(buf, start);
    // A NUL run (logrotate) can push a record past the window: those lines take the slow path.
    if ((at === -1 || at >= window) && buf[start] !== 0) {
      this.stats.skipped++;
      return;
    }
    const parsed = parseProvlogLine(buf.toString("utf8", start, end));
    if (parsed.kind === "noise") {
      this.stats.skipped++;
      return;
    }
    if (parsed.hadNul) this.stats.nul_lines++;
    if (parsed.kind === "malformed") {
      this.malformed(parsed.reason, parsed.name);
      return;
    }
    this.stats.events++;
    if (parsed.marshalError !== undefined) this.stats.marshal_errors++;
    const ts = parsed.ts ? parsed.ts.getTime() : null;
    const f = parsed.fields;
    const workspaceId = stringField(f.workspace_id) ?? stringField(f.existing_id);
    if (workspaceId) this.workspaces.add(workspaceId);

    const baseHash = identityHash53(ts, parsed.name, parsed.fieldsJson, 0);
    const occurrence = ts === null ? this.countUnstamped(baseHash) : this.countRecent(baseHash);

    const b = this.batch;
    const i = b.count++;
    b.ts[i] = ts ?? NO_STAMP;
    b.occurrence[i] = occurrence;
    b.dedup[i] = occurrence === 0 ? baseHash : identityHash53(ts, parsed.name, parsed.fieldsJson, occurrence);
    b.marshalError[i] = parsed.marshalError !== undefined ? 1 : 0;
    b.event.push(parsed.name);
    b.workspaceId.push(workspaceId);
    b.instanceId.push(stringField(f.instance_id));
    b.fields.push(parsed.fieldsJson);
    if (b.count >= this.batchSize) this.emit();
  }

  /** Returns how many times this identity was seen before, and counts this one. */
  private countRecent(key: number): number {
    const seen = this.recent.get(key) || this.older.get(key);
    this.recent.set(key, seen + 1);
    if (this.recent.size > RECENT_IDENTITIES) {
      const older = this.older;
      this.older = this.recent;
      older.clear();
      this.recent = older;
    }
    return seen;
  }

  private countUnstamped(key: number): number {
    const seen = this.seenUnstamped.get(key) ?? 0;
    this.seenUnstamped.set(key, seen + 1);
    return seen;
  }

  private tooLong(head: Buffer, length: number): void {
    this.stats.lines++;
    const at = head.indexOf(EVT);
    if (at !== -1 && at < DECISION_BYTES) this.malformed(`line of ${length} bytes is over the limit`, null);
    else this.stats.skipped++;
  }

  private malformed(reason: string, event: string | null): void {
    this.stats.malformed++;
    if (this.stats.first_malformed.length < FIRST_MALFORMED_KEPT) {
      this.stats.first_malformed.push({ line: this.stats.lines, reason, event });
    }
  }

  private emit(): void {
    if (this.batch.count === 0) return;
    const full = this.batch;
    this.batch = newBatch(this.batchSize);
    this.onBatch(full);
  }

  private evtAt(buf: Buffer, start: number): number {
    if (buf !== this.scanBuf || (this.scanAt !== -1 && this.scanAt < start)) {
      this.scanBuf = buf;
      this.scanAt = buf.indexOf(EVT, start);
    }
    return this.scanAt;
  }
}

function stringField(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * Identity hash → how many times it was seen, for up to `entries` + 1 keys: open addressing
 * over typed arrays, a count of 0 marking an empty slot (a stored count is at least 1).
 */
class HashCounts {
  size = 0;
  private readonly keys: Float64Array;
  private readonly counts: Uint32Array;
  private readonly mask: number;

  constructor(entries: number) {
    // A quarter full at most: probes stay short.
    let capacity = 16;
    while (capacity < entries * 4) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.counts = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** The count of `key`, 0 when absent. */
  get(key: number): number {
    const { keys, counts, mask } = this;
    // The low 32 bits of a hash53 key are its well-mixed h1.
    for (let i = (key >>> 0) & mask; ; i = (i + 1) & mask) {
      const n = counts[i]!;
      if (n === 0 || keys[i] === key) return n;
    }
  }

  /** Sets the count (at least 1) of `key`. */
  set(key: number, count: number): void {
    const { keys, counts, mask } = this;
    let i = (key >>> 0) & mask;
    while (counts[i] !== 0 && keys[i] !== key) i = (i + 1) & mask;
    if (counts[i] === 0) {
      keys[i] = key;
      this.size++;
    }
    counts[i] = count;
  }

  clear(): void {
    this.counts.fill(0);
    this.size = 0;
  }
}
