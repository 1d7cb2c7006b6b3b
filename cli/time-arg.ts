import { OpsError } from "../core/errors";

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * `--since` / `--until`: an ISO 8601 date or date-time (no zone means UTC, like the log
 * stamps), or an age such as 30m, 2h, 7d meaning that long before now.
 */
export function parseTimeArg(flag: string, raw: string, now: number = Date.now()): number {
  const age = /^(\d+)([smhd])$/.exec(raw);
  if (age) return now - Number(age[1]) * UNIT_MS[age[2]!]!;
  if (ISO_DATE.test(raw)) return checked(flag, raw, Date.parse(`${raw}T00:00:00Z`));
  if (ISO_DATE_TIME.test(raw)) {
    const withT = raw.replace(" ", "T");
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(withT) ? withT : `${withT}Z`;
    return checked(flag, raw, Date.parse(zoned));
  }
  throw new OpsError(
    "Usage",
    `--${flag} takes an ISO 8601 time (2026-05-05T12:30:00Z) or an age (30m, 2h, 7d), got "${raw.slice(0, 40)}"`,
  );
}

function checked(flag: string, raw: string, ms: number): number {
  if (Number.isNaN(ms)) throw new OpsError("Usage", `--${flag}: "${raw.slice(0, 40)}" is not a valid time`);
  return ms;
}
