/**
 * The two timestamp shapes that precede a provlog record (docs/contracts.md §4):
 * - Go's standard logger prefix `YYYY/MM/DD HH:MM:SS` (or with `.uuuuuu` under Lmicroseconds);
 *   it carries no zone and is read as UTC, because the platform hosts run UTC;
 * - the RFC 3339 stamp `docker logs --timestamps` adds in front of every line.
 * Scanned by hand with charCodeAt: these run on every line of multi-million-line imports.
 */

/** `YYYY/MM/DD HH:MM:SS` in UTC, as Go's log package writes it with the LUTC flag. */
export function formatGoLogTimestamp(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new TypeError("provlog: invalid Date for the record timestamp");
  const year = at.getUTCFullYear();
  const y = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return `${y}/${pad(at.getUTCMonth() + 1, 2)}/${pad(at.getUTCDate(), 2)} ${pad(at.getUTCHours(), 2)}:${pad(at.getUTCMinutes(), 2)}:${pad(at.getUTCSeconds(), 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * Parses a whole string that is a Go log stamp, `YYYY/MM/DD HH:MM:SS` with an optional
 * fraction of 1–9 digits, as UTC. Null if it is anything else or names no real instant.
 */
export function parseGoTimestamp(s: string): Date | null {
  return goStampEnd(s, 0, s.length) === s.length ? goStampTime(s, 0, s.length) : null;
}

/**
 * Where a Go log stamp starting at `pos` ends (fraction included), or -1 if the shape does not
 * match. Shape only: the Date is built by goStampTime once the line has proved to be a record,
 * so noise lines cost no allocation.
 */
export function goStampEnd(s: string, pos: number, end: number): number {
  if (end - pos < 19) return -1;
  if (
    s.charCodeAt(pos + 4) !== 0x2f || // /
    s.charCodeAt(pos + 7) !== 0x2f ||
    s.charCodeAt(pos + 10) !== 0x20 ||
    s.charCodeAt(pos + 13) !== 0x3a || // :
    s.charCodeAt(pos + 16) !== 0x3a ||
    !hasStampDigits(s, pos)
  ) {
    return -1;
  }
  const i = pos + 19;
  return i < end && s.charCodeAt(i) === 0x2e ? fractionEnd(s, i + 1, end) : i;
}

/** Both stamp shapes put year, month, day, hour, minute and second digits at the same offsets. */
function hasStampDigits(s: string, pos: number): boolean {
  return (
    areDigits(s, pos, 4) &&
    areDigits(s, pos + 5, 2) &&
    areDigits(s, pos + 8, 2) &&
    areDigits(s, pos + 11, 2) &&
    areDigits(s, pos + 14, 2) &&
    areDigits(s, pos + 17, 2)
  );
}

/** The instant of either stamp shape: date and time digits at the shared offsets, a fraction up to `fractionEnd`. */
function stampDate(s: string, pos: number, fractionEnd: number, offsetMinutes: number): Date | null {
  return utcDate(
    digits(s, pos, 4),
    digits(s, pos + 5, 2),
    digits(s, pos + 8, 2),
    digits(s, pos + 11, 2),
    digits(s, pos + 14, 2),
    digits(s, pos + 17, 2),
    fractionMs(s, pos + 20, fractionEnd),
    offsetMinutes,
  );
}

/** The instant of a Go stamp at [pos, stampEnd) as found by goStampEnd; null for an impossible date. */
export function goStampTime(s: string, pos: number, stampEnd: number): Date | null {
  return stampDate(s, pos, stampEnd, 0);
}

/**
 * Where an RFC 3339 stamp (`2026-05-05T12:30:11.123456789Z`, or with `±hh:mm`) starting at
 * `pos` ends, or -1. Shape only, like goStampEnd.
 */
export function rfc3339StampEnd(s: string, pos: number, end: number): number {
  if (end - pos < 20) return -1;
  const t = s.charCodeAt(pos + 10);
  if (
    s.charCodeAt(pos + 4) !== 0x2d || // -
    s.charCodeAt(pos + 7) !== 0x2d ||
    (t !== 0x54 && t !== 0x74) || // T or t (RFC 3339 §5.6 allows both)
    s.charCodeAt(pos + 13) !== 0x3a ||
    s.charCodeAt(pos + 16) !== 0x3a ||
    !hasStampDigits(s, pos)
  ) {
    return -1;
  }
  let i = pos + 19;
  if (s.charCodeAt(i) === 0x2e) {
    i = fractionEnd(s, i + 1, end);
    if (i < 0) return -1;
  }
  if (i >= end) return -1;
  const z = s.charCodeAt(i);
  if (z === 0x5a || z === 0x7a) return i + 1; // Z or z
  if ((z === 0x2b || z === 0x2d) && end - i >= 6 && s.charCodeAt(i + 3) === 0x3a) {
    return areDigits(s, i + 1, 2) && areDigits(s, i + 4, 2) ? i + 6 : -1;
  }
  return -1;
}

/** The instant of an RFC 3339 stamp at [pos, stampEnd) as found by rfc3339StampEnd. */
export function rfc3339StampTime(s: string, pos: number, stampEnd: number): Date | null {
  let offsetMinutes = 0;
  let zoneStart = stampEnd - 1;
  const last = s.charCodeAt(zoneStart);
  if (last !== 0x5a && last !== 0x7a) {
    // `±hh:mm`, as rfc3339StampEnd checked
    const sign = s.charCodeAt(stampEnd - 6);
    const oh = digits(s, stampEnd - 5, 2);
    const om = digits(s, stampEnd - 2, 2);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (sign === 0x2d ? -1 : 1) * (oh * 60 + om);
    zoneStart = stampEnd - 6;
  }
  return stampDate(s, pos, zoneStart, offsetMinutes);
}

function areDigits(s: string, pos: number, count: number): boolean {
  for (let i = pos; i < pos + count; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Decimal value of `count` ASCII digits at `pos`, or -1 if any is not a digit. */
function digits(s: string, pos: number, count: number): number {
  let n = 0;
  for (let i = pos; i < pos + count; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** End of 1–9 fraction digits (Go writes 6 under Lmicroseconds, Docker 9), or -1 if none. */
function fractionEnd(s: string, pos: number, end: number): number {
  let i = pos;
  while (i < end && i - pos < 9) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  return i === pos ? -1 : i;
}

/** Milliseconds of the fraction digits in [pos, end) (empty → 0); Date keeps no finer. */
function fractionMs(s: string, pos: number, end: number): number {
  let ms = 0;
  for (let k = 0; k < 3; k++) ms = ms * 10 + (pos + k < end ? s.charCodeAt(pos + k) - 0x30 : 0);
  return ms;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The instant, or null for a date the calendar does not have (no silent roll-over into next month). */
function utcDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): Date | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day > maxDay) return null;
  const seconds = ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
  return new Date(daysFromCivil(year, month, day) * 86_400_000 + seconds + ms);
}

/**
 * Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
 * Plain arithmetic instead of Date.UTC: it runs once per record, and Date.UTC also maps
 * years 0–99 to 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
