import { OpsError } from "../core/errors";
import { type ParsedCommandLine, stringFlag } from "./command-line";

/** `--NAME S`: seconds, more than 0 and at most `max`, as milliseconds; undefined when absent. */
export function secondsFlag(parsed: ParsedCommandLine, name: string, max: number): number | undefined {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || seconds <= 0 || seconds > max) {
    throw new OpsError("Usage", `--${name} takes seconds, more than 0 and at most ${max}, got "${raw}"`);
  }
  return Math.round(seconds * 1000);
}
