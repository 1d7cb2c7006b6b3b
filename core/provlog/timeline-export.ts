import { stripControlChars } from "../config/redact";
import type { TimelineRow } from "../store/timeline-query";

export type TimelineFormat = "table" | "jsonl" | "csv";
export const TIMELINE_FORMATS: readonly TimelineFormat[] = ["table", "jsonl", "csv"];

/** Where export text goes; awaited so a slow consumer applies backpressure. */
export type TextSink = (chunk: string) => void | Promise<void>;

const FLUSH_AT = 256 << 10;

/**
 * Writes timeline rows in one of the export formats, in chunks, never holding the whole
 * result: the rows come from a paged iterator and leave in ~256 KiB writes.
 * Returns the number of rows written.
 */
export async function writeTimeline(
  rows: Iterable<TimelineRow>,
  format: TimelineFormat,
  sink: TextSink,
): Promise<number> {
  const line = format === "csv" ? csvLine : format === "jsonl" ? jsonlLine : tableLine;
  let buffer = format === "csv" ? CSV_HEADER : format === "table" ? TABLE_HEADER : "";
  let count = 0;
  for (const row of rows) {
    buffer += line(row);
    count++;
    if (buffer.length >= FLUSH_AT) {
      await sink(buffer);
      buffer = "";
    }
  }
  if (buffer) await sink(buffer);
  return count;
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

const CSV_HEADER = "ts,event,workspace_id,instance_id,source,fields\r\n";

/** RFC 4180: CRLF records, fields quoted when they hold a comma, quote, CR or LF. */
function csvLine(r: TimelineRow): string {
  return `${isoTs(r.ts)},${csvCell(r.event)},${csvCell(r.workspace_id ?? "")},${csvCell(r.instance_id ?? "")},${r.source},${csvCell(r.fields)}\r\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading
 * apostrophe (OWASP CSV injection): a log line is attacker-controlled text.
 */
export function csvCell(value: string): string {
  let v = value;
  const c = v.charCodeAt(0);
  if (c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

const TABLE_HEADER = `${"TIME".padEnd(24)} ${"EVENT".padEnd(26)} ${"WORKSPACE".padEnd(36)} ${"INSTANCE".padEnd(19)} ${"SOURCE".padEnd(8)} FIELDS\n`;
const FIELDS_SHOWN = 160;

/** For a terminal: aligned, one line per event, upstream text stripped of control characters. */
function tableLine(r: TimelineRow): string {
  const fields = r.fields.length > FIELDS_SHOWN ? `${r.fields.slice(0, FIELDS_SHOWN)}…` : r.fields;
  return `${(isoTs(r.ts) || "(no time)").padEnd(24)} ${stripControlChars(r.event).padEnd(26)} ${stripControlChars(r.workspace_id ?? "-").padEnd(36)} ${stripControlChars(r.instance_id ?? "-").padEnd(19)} ${r.source.padEnd(8)} ${stripControlChars(fields)}\n`;
}
