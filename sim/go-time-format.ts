/**
 * The time shapes the platform writes, so the sim's bytes match a real tenant's:
 * - JSON times are Go's time.Time MarshalJSON: RFC 3339 with up to 9 fraction digits, trailing
 *   zeros trimmed (RFC3339Nano), "Z" for UTC;
 * - a value read back from Postgres has µs precision (timestamptz), so at most 6 digits;
 * - gin's access log stamps `2006/01/02 - 15:04:05`; its latency is a Go time.Duration.
 */

/** `2026-12-03T07:45:44.123456789Z` from ns since the epoch, trailing fraction zeros trimmed. */
export function formatRfc3339Nano(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const fraction = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const digits = fraction.toString().padStart(9, "0").replace(/0+$/, "");
  return digits === "" ? `${base}Z` : `${base}.${digits}Z`;
}

/** A Postgres timestamptz (µs since the epoch) as lib/pq hands it to encoding/json. */
export function formatPgTime(micros: number): string {
  return formatRfc3339Nano(BigInt(Math.floor(micros)) * 1000n);
}

/** `2006/01/02 - 15:04:05` in UTC: gin's LoggerWithFormatter default stamp (hosts run UTC). */
export function formatGinStamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)} - ${iso.slice(11, 19)}`;
}

/** Go's time.Duration.String() for non-negative durations below an hour: `850ns`, `12.5µs`, `1.234567ms`, `2.5s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns < 1000n) return `${ns}ns`;
  if (ns < 1_000_000n) return `${decimal(ns, 1000n)}µs`;
  if (ns < 1_000_000_000n) return `${decimal(ns, 1_000_000n)}ms`;
  const minutes = ns / 60_000_000_000n;
  const rest = ns % 60_000_000_000n;
  const seconds = `${decimal(rest, 1_000_000_000n)}s`;
  return minutes > 0n ? `${minutes}m${seconds}` : seconds;
}

function decimal(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const fraction = value % unit;
  if (fraction === 0n) return whole.toString();
  const width = unit.toString().length - 1;
  return `${whole}.${fraction.toString().padStart(width, "0").replace(/0+$/, "")}`;
}
