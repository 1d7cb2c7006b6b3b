/**
 * Reads one line of a platform log into a provlog record (docs/contracts.md §4). Tolerant by contract: it
 * never throws, noise is `noise`, a record it cannot fully read is `malformed` with a reason,
 * so an import can count and report every line and lose none.
 *
 * Runs over millions of lines, some of them megabytes long, so the work is ordered cheapest
 * first: stamp shapes by charCodeAt at fixed offsets, then `startsWith("evt: ", pos)` — a
 * line that is not a record is rejected without looking past its first ~40 characters, and
 * no regex ever runs over a whole line.
 */
import { goStampEnd, goStampTime, rfc3339StampEnd, rfc3339StampTime } from "./go-time";

export { parseGoTimestamp } from "./go-time";

export type ParsedLine =
  | {
      kind: "event";
      ts: Date | null;
      name: string;
      fields: Record<string, unknown>;
      /** The payload exactly as written, so unknown fields and big numbers survive (docs/contracts.md §4). */
      fieldsJson: string;
      /** The payload was Go's `{"_marshal_err":"…"}` fallback: kept, flagged. */
      marshalError?: string;
      hadNul?: boolean;
    }
  | { kind: "malformed"; ts: Date | null; name: string | null; reason: string; hadNul?: boolean }
  | { kind: "noise" };

const NOISE: ParsedLine = Object.freeze({ kind: "noise" });
const EVT = "evt: ";

/**
 * How far into a line the record-or-noise decision can look: BOM (1), Docker stamp with a
 * 9-digit fraction and an offset (35), space, Go stamp with a 9-digit fraction (29), space,
 * "evt: " (5). A NUL beyond it cannot change that decision, so noise lines are never scanned
 * further (a multi-megabyte prose line costs the same as a short one).
 */
const DECISION_WINDOW = 1 + 35 + 1 + 29 + 1 + EVT.length;

export function parseProvlogLine(line: string): ParsedLine {
  // logrotate's copytruncate leaves NUL runs where the writer's offset outran the truncation;
  // they are damage around a record, not a reason to lose it: removed, and flagged.
  const window = Math.min(line.length, DECISION_WINDOW);
  for (let i = 0; i < window; i++) {
    if (line.charCodeAt(i) === 0) return parseClean(line.replaceAll("\0", ""), true);
  }
  return parseClean(line, false);
}

function parseClean(s: string, hadNul: boolean): ParsedLine {
  let end = s.length;
  for (let c = s.charCodeAt(end - 1); c === 0x0a || c === 0x0d; c = s.charCodeAt(end - 1)) end--;

  let pos = s.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM on a file's first line
  // Stamp positions only; their Dates are built once the line has proved to be a record.
  let dockerAt = -1;
  let dockerEnd = -1;
  let goAt = -1;
  let goEnd = -1;
  const first = s.charCodeAt(pos);
  if (first >= 0x30 && first <= 0x39) {
    // `docker logs --timestamps` puts its stamp before the container's own Go log stamp.
    const d = rfc3339StampEnd(s, pos, end);
    if (d > 0 && d < end && s.charCodeAt(d) === 0x20) {
      dockerAt = pos;
      dockerEnd = d;
      pos = d + 1;
    }
    const g = goStampEnd(s, pos, end);
    if (g > 0 && g < end && s.charCodeAt(g) === 0x20) {
      goAt = pos;
      goEnd = g;
      pos = g + 1;
    }
  }
  // Prose that merely mentions "evt:" later on, access logs, blank lines: all noise. "evt: "
  // holds no CR/LF, so a match here also lies within `end`.
  if (!s.startsWith(EVT, pos)) return NOISE;
  // A record after all: now NULs past the window matter (inside the payload, say).
  if (!hadNul && s.indexOf("\0", pos) !== -1) return parseClean(s.replaceAll("\0", ""), true);

  // Docker's stamp wins when both are there: it has a zone and nanoseconds, Go's has neither.
  let ts = dockerAt >= 0 ? rfc3339StampTime(s, dockerAt, dockerEnd) : null;
  if (ts === null && goAt >= 0) ts = goStampTime(s, goAt, goEnd);

  const nameStart = pos + EVT.length;
  let i = nameStart;
  while (i < end && isNameChar(s.charCodeAt(i))) i++;
  if (i === nameStart) return malformed(ts, null, "missing event name", hadNul);
  // Any name is kept: the taxonomy is append-only (docs/contracts.md §4), so unknown means newer, not wrong.
  const name = s.slice(nameStart, i);
  if (i < end && s.charCodeAt(i) !== 0x20) return malformed(ts, null, "invalid character in event name", hadNul);

  let p = i + 1;
  let e = end;
  while (p < e && isSpace(s.charCodeAt(p))) p++;
  while (e > p && isSpace(s.charCodeAt(e - 1))) e--;
  if (p >= e) return malformed(ts, name, "missing payload", hadNul);

  const fieldsJson = s.slice(p, e);
  let value: unknown;
  try {
    value = JSON.parse(fieldsJson);
  } catch {
    return malformed(ts, name, looksTruncated(fieldsJson) ? "truncated JSON" : "invalid JSON", hadNul);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return malformed(ts, name, "payload is not an object", hadNul);
  }
  const fields = value as Record<string, unknown>;
  const event: ParsedLine = { kind: "event", ts, name, fields, fieldsJson };
  const marshalError = Object.hasOwn(fields, "_marshal_err") ? fields._marshal_err : undefined;
  if (typeof marshalError === "string") event.marshalError = marshalError;
  if (hadNul) event.hadNul = true;
  return event;
}

function malformed(ts: Date | null, name: string | null, reason: string, hadNul: boolean): ParsedLine {
  return hadNul ? { kind: "malformed", ts, name, reason, hadNul } : { kind: "malformed", ts, name, reason };
}

/** `[A-Za-z0-9_.:-]`: wider than what we emit, so other emitters' names still read. */
function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x3a) || // 0-9 and ':'
    c === 0x5f || // _
    c === 0x2e || // .
    c === 0x2d // -
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Whether JSON that failed to parse is a cut-off prefix (the writer died, the line was capped)
 * rather than wrong: brackets and strings still open at the end, with no closer that did not
 * match along the way. One linear pass, no regex; only run after JSON.parse has failed.
 */
function looksTruncated(text: string): boolean {
  const closers: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b) closers.push(0x7d);
    else if (c === 0x5b) closers.push(0x5d);
    else if (c === 0x7d || c === 0x5d) {
      if (closers.pop() !== c) return false;
      // Complete value followed by more text: wrong, not cut short.
      if (closers.length === 0 && i < text.length - 1) return false;
    }
  }
  return inString || closers.length > 0;
}
