/**
 * What the platform's BootstrapFailed handler (handlers/workspace_bootstrap.go) makes of a
 * report `{error, log_tail}`, as a pure function so the HTTP route, the CP's bootstrap watcher
 * and the seeded history all agree byte for byte.
 */

/** The handler keeps the last 8192 bytes of the tail and stores at most 8192 bytes in last_sample_error. */
export const TAIL_CAP_BYTES = 8192;
const TRUNCATED = "...(truncated)...\n";
export const EMPTY_ERROR = "bootstrap failed — see log_tail";

export interface BootstrapReport {
  /** The event's `error` (trimmed; a default when empty). */
  error: string;
  /** The event's `log_tail`: the tail as sent, or its last 8192 bytes after a truncation marker. */
  logTail: string;
  /** What the UPDATE stores in last_sample_error: `error + "\n\n" + tail`, cut to 8192 bytes. */
  sampleError: string;
  /**
   * The byte cut landed inside a UTF-8 character (Go slices bytes), so the stored text is not
   * valid UTF-8: Postgres refuses it and the handler answers 500 "db update failed".
   */
  invalidUtf8: boolean;
}

export function bootstrapReport(error: string, logTail: string): BootstrapReport {
  const bytes = Buffer.from(logTail, "utf8");
  let tail = logTail;
  let invalidUtf8 = false;
  if (bytes.length > TAIL_CAP_BYTES) {
    const kept = bytes.subarray(bytes.length - TAIL_CAP_BYTES);
    invalidUtf8 = isContinuation(kept[0] ?? 0);
    tail = TRUNCATED + kept.toString("utf8");
  }
  const trimmed = goTrimSpace(error);
  const message = trimmed === "" ? EMPTY_ERROR : trimmed;
  return {
    error: message,
    logTail: tail,
    sampleError: truncateUtf8(`${message}\n\n${tail}`, TAIL_CAP_BYTES),
    invalidUtf8,
  };
}

/** truncateString: at most n bytes, without a partial character at the end. */
export function truncateUtf8(text: string, n: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= n) return text;
  let end = n;
  while (end > 0 && isContinuation(bytes[end] ?? 0)) end--;
  return bytes.subarray(0, end).toString("utf8");
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** strings.TrimSpace: Unicode White_Space (JS trim() differs: it trims U+FEFF and not U+0085). */
function goTrimSpace(text: string): string {
  return text.replace(GO_SPACE_EDGES, "");
}
const GO_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const GO_SPACE_EDGES = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, "g");
