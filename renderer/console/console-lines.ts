import { initialAnsiState, parseAnsiLine, type Segment } from "./ansi";

/** How a console line is highlighted. */
export type LineKind = "plain" | "crash" | "traceback" | "exception";

export interface ConsoleLine {
  /** The line as printed: no escapes, no control characters (what search runs over). */
  text: string;
  segments: Segment[];
  kind: LineKind;
}

/** docs/contracts.md §5: the runtime's dying words at boot. */
export const CRASH_MARKER = "RUNTIME CRASHED";
const TRACEBACK = "Traceback (most recent call last):";

/**
 * Splits a serial console into lines (CRLF or LF; a bare CR keeps what was printed last, as a
 * terminal would show it), parses their colours, and marks RUNTIME CRASHED lines and Python
 * tracebacks: the lines staff look for first, and the ones the seed's modal lost.
 */
export function parseConsole(output: string): ConsoleLine[] {
  const raw = output.split("\n");
  if (raw.length > 0 && raw[raw.length - 1] === "") raw.pop();
  const state = initialAnsiState();
  const lines: ConsoleLine[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i] ?? "";
    if (line.endsWith("\r")) line = line.slice(0, -1);
    const cr = line.lastIndexOf("\r");
    if (cr !== -1) line = line.slice(cr + 1);
    const segments = parseAnsiLine(line, state);
    let text = "";
    for (const s of segments) text += s.text;
    lines[i] = { text, segments, kind: text.includes(CRASH_MARKER) ? "crash" : "plain" };
  }
  markTracebacks(lines);
  return lines;
}

/**
 * A traceback runs from its header through the indented frame lines to the first line that is
 * not indented: the exception. A prefix before the header (a journald or cloud-init tag) is
 * expected on every line of the block.
 */
function markTracebacks(lines: ConsoleLine[]): void {
  for (let i = 0; i < lines.length; i++) {
    const head = lines[i];
    if (!head) continue;
    const at = head.text.indexOf(TRACEBACK);
    if (at === -1) continue;
    const prefix = head.text.slice(0, at);
    if (head.kind === "plain") head.kind = "traceback";
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] as ConsoleLine;
      if (!line.text.startsWith(prefix)) break;
      const rest = line.text.slice(prefix.length);
      if (rest.startsWith(" ") || rest.startsWith("\t")) {
        if (line.kind === "plain") line.kind = "traceback";
        continue;
      }
      if (rest.trim() !== "" && line.kind === "plain") line.kind = "exception";
      break;
    }
    i = j;
  }
}
