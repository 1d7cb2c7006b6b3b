import { type BugLog, BugReporter } from "../core/api/bug-log";

/** The desktop app's log file, set once by main.ts when the app is ready. */
let bugLog: BugLog | null = null;

export function logBugsTo(log: BugLog | null): void {
  bugLog = log;
}

/**
 * A failure that is not an OpsError is a bug: the renderer only gets "internal error; see the
 * host's log" (core/api/dispatch.ts safeError), so its cause goes to the main process's log file,
 * with every configured secret redacted, and its console gets a line saying where (DESIGN: raw
 * causes stay in the main process log). The same report as the browser host's (BugReporter).
 */
export function logUnexpected(
  where: string,
  error: unknown,
  secrets: readonly string[],
  log: (line: string) => void = console.error,
): void {
  new BugReporter({ log: bugLog, name: "molecule-ops", print: log }).report(where, error, secrets);
}
