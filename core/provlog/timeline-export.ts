import { iso } from "../api/iso-time";
import { stripControlChars } from "../config/redact";
import type { Db } from "../store/open-store";
import { type TimelineFilter, type TimelineRow, timelineRows, timelineValues } from "../store/timeline-query";

export type TimelineFormat = "table" | "jsonl" | "csv" | "provlog";
export const TIMELINE_FORMATS: readonly TimelineFormat[] = ["table", "jsonl", "csv", "provlog"];

/** The file formats a host offers for download (the table is for a terminal). */
export type ExportFileFormat = Exclude<TimelineFormat, "table">;

/** How a host names and labels an exported file: the provlog form is a platform log (`.log`, plain text). */
export const EXPORT_FILE_KINDS: Readonly<
  Record<ExportFileFormat, { extension: string; contentType: string; label: string }>
> = {
  csv: { extension: "csv", contentType: "text/csv; charset=utf-8", label: "CSV" },
  jsonl: { extension: "jsonl", contentType: "application/x-ndjson; charset=utf-8", label: "JSON Lines" },
  provlog: { extension: "log", contentType: "text/plain; charset=utf-8", label: "Platform log (provlog)" },
};

/** Where exported bytes (UTF-8) go; awaited so a slow consumer applies backpressure. */
export type ByteSink = (chunk: Buffer) => void | Promise<void>;

const CHUNK_BYTES = 1 << 20;

/**
 * Writes the timeline in one of the export formats, in ~1 MiB chunks, never holding the
 * whole result: rows come from a paged query and leave as they are formatted. The CLI, the
 * browser host and the desktop app all export through here. Returns the number of rows
 * written (for provlog: without the rows that format leaves out, see PROVLOG_LINE).
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
  } else if (format === "provlog") {
    for (const line of timelineValues<string | null>(db, filter, PROVLOG_LINE)) {
      if (line === null) continue;
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

/**
 * JSONL: one object per line with exactly ts (ISO 8601 UTC, or null), event, workspace_id,
 * instance_id, fields, source. `fields` is the stored payload text spliced in as is, so big
 * numbers and unknown fields come out exactly as they were logged.
 */
function jsonlLine(r: TimelineRow): string {
  return `{"ts":${r.ts === null ? "null" : `"${iso(r.ts)}"`},"event":${JSON.stringify(r.event)},"workspace_id":${json(r.workspace_id)},"instance_id":${json(r.instance_id)},"fields":${r.fields},"source":"${r.source}"}\n`;
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
  return `${(r.ts === null ? "(no time)" : iso(r.ts)).padEnd(24)} ${stripControlChars(r.event).padEnd(26)} ${stripControlChars(r.workspace_id ?? "-").padEnd(36)} ${stripControlChars(r.instance_id ?? "-").padEnd(19)} ${r.source.padEnd(8)} ${stripControlChars(fields)}\n`;
}

/** Milliseconds within the second, also for a time before 1970 (SQL's % keeps the dividend's sign). */
const MS = "((ts % 1000) + 1000) % 1000";

/**
 * A record as the platform's own log line (docs/contracts.md §4 Exports), built by SQLite as the
 * CSV lines are: `YYYY/MM/DD HH:MM:SS evt: <name> <payload>` in UTC, what formatProvlogLine
 * writes, so `import-log` reads it back to the same row. What a line cannot say decides the
 * rules:
 * - the time: whole seconds as the server writes them; a time with milliseconds (the console's
 *   records, lines read with a docker or `Lmicroseconds` stamp) gets Go's `Lmicroseconds`
 *   fraction, `.mmm000`, which the parser reads back to the same millisecond (rounded to the
 *   second, the record would change its identity and be stored twice when imported back); a
 *   record without a time is written without a stamp, as a piped log has it;
 * - the payload: spliced in verbatim (it is always one JSON object); raw CR or LF can only be
 *   whitespace between JSON tokens, and become spaces so that a record stays one line;
 * - who wrote it: a line has no source, so every line imports as `provlog`; the console's own
 *   records (source `console`) are written, they are provlog records by design, and importing
 *   the export into the cache it came from adds nothing (same time, name and payload: the same
 *   identity). The tenant's events (source `tenant`) are left out: the server never logs them,
 *   their workspace is not always in their payload, and their identity is the tenant's id, so
 *   as provlog lines they would come back as different rows; `sync` brings them back instead;
 * - the name: one that is not a provlog name (`[A-Za-z0-9_.:-]+`) is left out, as it could not
 *   be read back and could break the line.
 * NULL for a row left out.
 */
const PROVLOG_LINE = [
  "CASE WHEN source = 'tenant' OR event = '' OR event GLOB '*[^A-Za-z0-9_.:-]*' THEN NULL ELSE",
  `CASE WHEN ts = -1 THEN '' ELSE strftime('%Y/%m/%d %H:%M:%S', (ts - ${MS}) / 1000, 'unixepoch') || CASE WHEN ${MS} = 0 THEN ' ' ELSE printf('.%03d000 ', ${MS}) END END`,
  "|| 'evt: ' || event || ' ' ||",
  "CASE WHEN fields GLOB '*['||char(10,13)||']*' THEN replace(replace(fields, char(13), ' '), char(10), ' ') ELSE fields END",
  "|| char(10) END",
].join(" ");
