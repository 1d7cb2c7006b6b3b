import type { OpsErrorCode } from "../core/errors";

/** docs/cli.md: 0 done; 1 usage or configuration error; 2 upstream or input error. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_UPSTREAM = 2;
/** `doctor`: it ran and found problems (0 means healthy). */
export const EXIT_FINDINGS = 3;

export function exitCodeFor(code: OpsErrorCode): number {
  return code === "Usage" || code === "Config" ? EXIT_USAGE : EXIT_UPSTREAM;
}
