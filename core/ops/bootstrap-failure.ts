import { stripControlChars } from "../config/redact";
import { logTail } from "../tenant/log-tail";

/** What the runtime prints on the serial console when it dies at boot (docs/contracts.md §5). */
export const CRASH_MARKER = "RUNTIME CRASHED";
/** docs/contracts.md §5: the tail kept and reported with a bootstrap failure. */
export const CRASH_TAIL_BYTES = 8 << 10;
const ERROR_LINE_MAX = 300;

export interface BootstrapFailure {
  /** One line for lists and the tenant's `error` field: the marker and the exception line. */
  error: string;
  /** The end of the console, at most 8 KiB, starting at a line boundary. */
  tail: string;
}

/**
 * A bootstrap failure read from a serial console, or null when the console shows none. The
 * platform's own sweep only gives up after 10 minutes (30 for hermes); the console says it the
 * moment the runtime dies, so staff need not wait for the sweep to learn it.
 */
export function detectBootstrapFailure(output: string): BootstrapFailure | null {
  const at = output.lastIndexOf(CRASH_MARKER);
  if (at === -1) return null;
  const lines = output
    .slice(at)
    .split("\n")
    .map((l) => stripControlChars(l).trim())
    .filter((l) => l !== "");
  // The exception is the last line a Python traceback prints.
  const last = lines.at(-1) ?? CRASH_MARKER;
  const error = last.includes(CRASH_MARKER) ? last : `${CRASH_MARKER}: ${last}`;
  return {
    error: error.length > ERROR_LINE_MAX ? `${error.slice(0, ERROR_LINE_MAX)}…` : error,
    tail: consoleTail(output, CRASH_TAIL_BYTES),
  };
}

/** The last `maxBytes` of a console, dropping the partial line a byte cut would leave first. */
export function consoleTail(output: string, maxBytes: number): string {
  const tail = logTail(output, maxBytes);
  if (tail.length === output.length) return tail;
  const newline = tail.indexOf("\n");
  return newline === -1 ? tail : tail.slice(newline + 1);
}
