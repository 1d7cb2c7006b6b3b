/**
 * The fair anchor of the CSV export benchmark: the `sqlite3` shell doing the same work as
 * `timeline --format csv` from the same cache, in one SELECT: ISO 8601 times (strftime), the
 * formula neutralisation, RFC 4180 quoting, time order, CRLF records and the header, written
 * to a file. Its output is byte for byte the export's (bench/csv-anchor.test.ts checks that
 * when the shell is installed). The shell's own `-csv` mode is not used: it quotes by other
 * rules (spaces, apostrophes, any non-ASCII byte) and neither formats times nor neutralises.
 */
import { shellQuote } from "./measure";

const HEADER = "ts,event,workspace_id,instance_id,source,fields";

/** `"…"` with inner quotes doubled: RFC 4180. */
function quoted(value: string): string {
  return `'"' || replace(${value}, '"', '""') || '"'`;
}

/**
 * One text cell as core/provlog/timeline-export.ts csvCell writes it, in plain SQL (no
 * application function): an apostrophe before a formula's first character (=, +, -, @, tab,
 * CR), then quotes when the cell holds a comma, quote, CR or LF. The common cell (nothing to
 * neutralise or quote) takes the export's own fast test, two GLOBs, and is written as it is.
 */
function cell(column: string): string {
  const formula = `(${column} GLOB '[=+@-]*' OR substr(${column}, 1, 1) IN (char(9), char(13)))`;
  const special = `${column} GLOB '*[",'||char(10,13)||']*'`;
  return [
    `CASE WHEN ${column} IS NULL THEN ''`,
    `WHEN NOT (${column} GLOB '[=+@-]*' OR ${column} GLOB '*[",'||char(9,10,13)||']*') THEN ${column}`,
    `WHEN ${formula} THEN CASE WHEN ${special} THEN ${quoted(`'''' || ${column}`)} ELSE '''' || ${column} END`,
    `WHEN ${special} THEN ${quoted(column)}`,
    `ELSE ${column} END`,
  ].join(" ");
}

/** The whole record as one value, without its line ending (the shell adds CRLF). */
export const ANCHOR_CSV_SELECT = `SELECT ${[
  "CASE WHEN ts = -1 THEN '' ELSE strftime('%Y-%m-%dT%H:%M:%S', ts / 1000, 'unixepoch') || printf('.%03dZ', ts % 1000) END",
  cell("event"),
  cell("workspace_id"),
  cell("instance_id"),
  "source",
  quoted("fields"),
].join(" || ',' || ")} FROM events ORDER BY ts, id`;

/**
 * The shell command: list mode, one column, CRLF as the row separator, the header printed
 * first by the shell itself (`.print` ends it with LF, so the header's CRLF is in its text).
 */
export function anchorCsvCommand(dbPath: string, outPath: string): string {
  const setup = [".mode list", ".headers off", '.separator "," "\\r\\n"', `.print "${HEADER}\\r"`];
  return `sqlite3 -batch ${setup.map((c) => `-cmd ${shellQuote(c)}`).join(" ")} ${shellQuote(dbPath)} ${shellQuote(ANCHOR_CSV_SELECT)} > ${shellQuote(outPath)}`;
}

/** The old baseline, kept as information: the rows as the shell's `-csv` mode dumps them, no formatting. */
export function plainCsvCommand(dbPath: string, outPath: string): string {
  const sql = "SELECT ts, event, workspace_id, instance_id, source, fields FROM events ORDER BY ts, id";
  return `sqlite3 -csv -header ${shellQuote(dbPath)} ${shellQuote(sql)} > ${shellQuote(outPath)}`;
}
