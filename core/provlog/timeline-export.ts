import { stripControlChars } from "../config/redact";
import type { Db } from "../store/open-store";
import { type TimelineFilter, type TimelineRow, timelineRows, timelineValues } from "../store/timeline-query";

export type TimelineFormat = "table" | "jsonl" | "csv";
export const TIMELINE_FORMATS: readonly TimelineFormat[] = ["table", "jsonl", "csv"];

/** Where exported bytes (UTF-8) go; awaited so a slow consumer applies backpressure. */
export type ByteSink = (chunk: Buffer) => void | Promise<void>;

const CHUNK_BYTES = 1 << 20;

/**
 * Writes the timeline in one of the export formats, in ~1 MiB chunks, never holding the
 * whole result: rows come from a paged query and leave as they are formatted. The CLI, the
 * browser host and the desktop app all export through here. Returns the number of rows.
 */
export async function exportTimeline(
  db: Db,
  filter: TimelineFilter,
  format: TimelineFormat,
  sink: ByteSink,
): Promise<number> {
  const out = new ChunkedBytes(sink);
  let count = 0;
  if (format === "csv") {
    await out.add(CSV_HEADER);
    db.function("csv_cell", { deterministic: true }, (v: unknown) => csvCell(String(v)));
    for (const line of timelineValues<string>(db, filter, CSV_LINE)) {
      const pending = out.add(line);
      if (pending) await pending;
      count++;
    }
  } else {
    const line = format === "jsonl" ? jsonlLine : tableLine;
    if (format === "table") await out.add(TABLE_HEADER);
    for (const row of timelineRows(db, filter)) {
      const pending = out.add(line(row));
      if (pending) await pending;
      count++;
    }
  }
  await out.flush();
  return count;
}

/**
 * Rows are encoded straight into a reused 1 MiB buffer: joining them into one big string
 * first and encoding that cost a third of a large export.
 */
class ChunkedBytes {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  constructor(private readonly sink: ByteSink) {}

  /** Returns a promise only when a full chunk went to the sink, so the common case stays synchronous. */
  add(text: string): Promise<void> | undefined {
    const worst = text.length * 3;
    let pending: Promise<void> | undefined;
    if (this.used + worst > this.buffer.length) {
      pending = this.flush();
      if (worst > this.buffer.length) this.buffer = Buffer.allocUnsafe(worst);
    }
    this.used += this.buffer.write(text, this.used);
    return pending;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const chunk = this.buffer.subarray(0, this.used);
    // The sink may keep the chunk (a stream); the next rows go to a fresh buffer.
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, this.buffer.length));
    this.used = 0;
    await this.sink(chunk);
  }
}

function isoTs(ts: number | null): string {
  return ts === null ? "" : new Date(ts).toISOString();
}

/**
 * JSONL: one object per line with exactly ts (ISO 8601 UTC, or null), event, workspace_id,
 * instance_id, fields, source. `fields` is the stored payload text spliced in as is, so big
 * numbers and unknown fields come out exactly as they were logged.
 */
function jsonlLine(r: TimelineRow): string {
  return `{"ts":${r.ts === null ? "null" : `"${isoTs(r.ts)}"`},"event":${JSON.stringify(r.event)},"workspace_id":${json(r.workspace_id)},"instance_id":${json(r.instance_id)},"fields":${r.fields},"source":"${r.source}"}\n`;
}

function json(value: string | null): string {
  return value === null ? "null" : JSON.stringify(value);
}

/** RFC 4180: a header, CRLF records, fields quoted when they hold a comma, quote, CR or LF. */
const CSV_HEADER = "ts,event,workspace_id,instance_id,source,fields\r\n";

const NEEDS_QUOTES = /[",\r\n]/;

/** A short cell as SQL: the common case (nothing to quote or neutralise) never leaves SQLite. */
function sqlCell(column: string): string {
  return `CASE WHEN ${column} IS NULL THEN '' WHEN ${column} GLOB '[=+@-]*' OR ${column} GLOB '*[",'||char(9,10,13)||']*' THEN csv_cell(${column}) ELSE ${column} END`;
}

/**
 * A whole CSV record built by SQLite: one string per row crosses into JavaScript instead of
 * six values, which makes a large export several times faster. The time is Date#toISOString's
 * form; the payload is always a JSON object ("{" first), so it is quoted but never neutralised.
 */
const CSV_LINE = [
  "CASE WHEN ts = -1 THEN '' ELSE strftime('%Y-%m-%dT%H:%M:%S', ts / 1000, 'unixepoch') || printf('.%03dZ', ts % 1000) END",
  sqlCell("event"),
  sqlCell("workspace_id"),
  sqlCell("instance_id"),
  "source",
  `'"' || replace(fields, '"', '""') || '"' || char(13, 10)`,
].join(" || ',' || ");

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading
 * apostrophe (OWASP CSV injection): a log line is attacker-controlled text. The payload cell
 * needs no such guard: it is always a JSON object, so it starts with "{".
 */
export function csvCell(value: string): string {
  let v = value;
  const c = v.charCodeAt(0);
  if (c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const TABLE_HEADER = `${"TIME".padEnd(24)} ${"EVENT".padEnd(26)} ${"WORKSPACE".padEnd(36)} ${"INSTANCE".padEnd(19)} ${"SOURCE".padEnd(8)} FIELDS\n`;
const FIELDS_SHOWN = 160;

/** For a terminal: aligned, one line per event, upstream text stripped of control characters. */
function tableLine(r: TimelineRow): string {
  const fields = r.fields.length > FIELDS_SHOWN ? `${r.fields.slice(0, FIELDS_SHOWN)}…` : r.fields;
  return `${(isoTs(r.ts) || "(no time)").padEnd(24)} ${stripControlChars(r.event).padEnd(26)} ${stripControlChars(r.workspace_id ?? "-").padEnd(36)} ${stripControlChars(r.instance_id ?? "-").padEnd(19)} ${r.source.padEnd(8)} ${stripControlChars(fields)}\n`;
}
