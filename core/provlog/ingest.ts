import { approxEventCount, buildReadIndexes, dropReadIndexes } from "../store/read-indexes";
import type { Store } from "../store/store";
import { recordIdentity, type TimelineEvent } from "../store/timeline-events";
import { BindingLearner } from "./binding-learner";
import { LineSplitter } from "./line-splitter";
import { inputError, openLogInput } from "./open-log-input";
import { parseProvlogLine } from "./parse";

export interface ImportReport {
  /** Every line read, records and noise alike. */
  lines: number;
  /** Records read (new ones and ones already in the cache). */
  events: number;
  added: number;
  duplicates: number;
  /** Prose, access-log and blank lines: not records, skipped on purpose. */
  skipped: number;
  /** Records that could not be read; their line numbers are in first_malformed. */
  malformed: number;
  first_malformed: Array<{ line: number; reason: string; event: string | null }>;
  /** Records whose payload was Go's `_marshal_err` fallback: kept, flagged. */
  marshal_errors: number;
  /** Lines that carried NUL bytes (logrotate copytruncate damage), read anyway. */
  nul_lines: number;
  /** Distinct workspaces named by the records. */
  workspaces: number;
  /** Workspace→instance bindings learnt from provision.ec2_started / ec2_stopped. */
  bindings: number;
  gzip: boolean;
  bytes: number;
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
  /** Records per transaction (default 4,000): each batch lands whole or not at all (kill -9 safe). Small enough that a batch dies young in the V8 heap, which keeps an import under 150 MB. */
  batchSize?: number;
}

const EVT = Buffer.from("evt: ");
/** The parser decides record-or-noise within this many bytes of a line's start (two stamps + "evt: "). */
const DECISION_BYTES = 96;
const FIRST_MALFORMED_KEPT = 20;

/**
 * Streams a platform log (plain or gzip, file or stdin) into the cache. Only lines whose
 * start shows "evt: " are decoded; the rest are counted and skipped without being turned
 * into strings. Records are written in batched transactions; re-importing adds nothing.
 */
export async function importProvlog(
  store: Store,
  source: string | NodeJS.ReadableStream,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = {
    lines: 0,
    events: 0,
    added: 0,
    duplicates: 0,
    skipped: 0,
    malformed: 0,
    first_malformed: [],
    marshal_errors: 0,
    nul_lines: 0,
    workspaces: 0,
    bindings: 0,
    gzip: false,
    bytes: 0,
  };
  const workspaces = new Set<string>();
  const batchSize = options.batchSize ?? 4000;
  let batch: TimelineEvent[] = [];
  let identities: string[] = [];
  // Identical records within one second are distinct occurrences (Go stamps have no
  // fraction); counting them per timestamp keeps both and still dedups a re-import. Records
  // without a stamp are counted over the whole file, since nothing else tells them apart.
  let windowTs: number | null | undefined;
  let seen = new Map<string, number>();
  const seenUnstamped = new Map<string, number>();

  const learner = new BindingLearner(store.bindings);
  const flush = store.db.transaction((events: TimelineEvent[], ids: string[]) => {
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (store.events.record(e, ids[i])) report.added++;
      else report.duplicates++;
      if (e.workspaceId && e.instanceId && e.ts !== null) {
        const learnt =
          e.event === "provision.ec2_started"
            ? learner.started(e.workspaceId, e.instanceId, e.ts)
            : e.event === "provision.ec2_stopped" && learner.stopped(e.workspaceId, e.instanceId, e.ts);
        if (learnt) report.bindings++;
      }
    }
  });

  const malformed = (reason: string, event: string | null) => {
    report.malformed++;
    if (report.first_malformed.length < FIRST_MALFORMED_KEPT) {
      report.first_malformed.push({ line: report.lines, reason, event });
    }
  };

  // Where the next "evt: " sits in the current chunk: one forward scan per chunk, not one per line.
  let scanBuf: Buffer | null = null;
  let scanAt = -1;
  const evtAt = (buf: Buffer, start: number): number => {
    if (buf !== scanBuf || (scanAt !== -1 && scanAt < start)) {
      scanBuf = buf;
      scanAt = buf.indexOf(EVT, start);
    }
    return scanAt;
  };

  const splitter = new LineSplitter(
    {
      line(buf, start, end) {
        report.lines++;
        const window = Math.min(end, start + DECISION_BYTES);
        const at = evtAt(buf, start);
        // A NUL run (logrotate) can push a record past the window: those lines take the slow path.
        if ((at === -1 || at >= window) && buf[start] !== 0) {
          report.skipped++;
          return;
        }
        const parsed = parseProvlogLine(buf.toString("utf8", start, end));
        if (parsed.kind === "noise") {
          report.skipped++;
          return;
        }
        if (parsed.hadNul) report.nul_lines++;
        if (parsed.kind === "malformed") {
          malformed(parsed.reason, parsed.name);
          return;
        }
        report.events++;
        if (parsed.marshalError !== undefined) report.marshal_errors++;
        const ts = parsed.ts ? parsed.ts.getTime() : null;
        const f = parsed.fields;
        const workspaceId = stringField(f.workspace_id) ?? stringField(f.existing_id);
        if (workspaceId) workspaces.add(workspaceId);
        const event: TimelineEvent = {
          ts,
          event: parsed.name,
          workspaceId,
          instanceId: stringField(f.instance_id),
          fieldsJson: parsed.fieldsJson,
          source: "provlog",
          marshalError: parsed.marshalError !== undefined,
        };
        if (ts !== windowTs && ts !== null) {
          windowTs = ts;
          seen = new Map();
        }
        const counts = ts === null ? seenUnstamped : seen;
        const base = recordIdentity(event);
        const occurrence = counts.get(base) ?? 0;
        counts.set(base, occurrence + 1);
        batch.push(event);
        identities.push(occurrence === 0 ? base : recordIdentity(event, occurrence));
        if (batch.length >= batchSize) {
          flush(batch, identities);
          batch = [];
          identities = [];
        }
      },
      tooLong(head, length) {
        report.lines++;
        const isRecord = head.indexOf(EVT) !== -1 && head.indexOf(EVT) < DECISION_BYTES;
        if (isRecord) malformed(`line of ${length} bytes is over the limit`, null);
        else report.skipped++;
      },
    },
    options.maxLineBytes ?? 16 << 20,
  );

  const input = await openLogInput(source);
  report.gzip = input.gzip;
  const bulk = isBulkLoad(store, input.totalBytes, input.gzip);
  if (bulk) dropReadIndexes(store.db);
  try {
    for await (const chunk of input.stream) {
      report.bytes += chunk.length;
      splitter.push(chunk);
      options.onProgress?.({ sourceBytes: input.sourceBytes(), lines: report.lines, events: report.events });
    }
    splitter.end();
  } catch (cause) {
    // What was read before the damage is kept: commit it, then say where the input broke.
    if (batch.length > 0) flush(batch, identities);
    if (bulk) buildReadIndexes(store.db);
    throw Object.assign(inputError(source, cause), { report: finish(report, workspaces) });
  }
  if (batch.length > 0) flush(batch, identities);
  if (bulk) buildReadIndexes(store.db);
  return finish(report, workspaces);
}

/** Below this a log is imported with its indexes in place. */
const BULK_MIN_BYTES = 16 << 20;
/** Platform logs average ~130 bytes a line and a third of the lines are records; gzip packs ~8:1. */
const BYTES_PER_RECORD = 400;

/**
 * A large log into a cache it would grow by a quarter or more is loaded without the read
 * indexes, which are rebuilt at the end: the scattered (workspace, ts) inserts otherwise cost
 * more than everything else of the import together.
 */
function isBulkLoad(store: Store, totalBytes: number | null, gzip: boolean): boolean {
  if (totalBytes === null) return false;
  const bytes = gzip ? totalBytes * 8 : totalBytes;
  if (bytes < BULK_MIN_BYTES) return false;
  return bytes / BYTES_PER_RECORD >= approxEventCount(store.db) / 4;
}

function finish(report: ImportReport, workspaces: Set<string>): ImportReport {
  report.workspaces = workspaces.size;
  return report;
}

function stringField(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
