import type { BugLog } from "../core/config/bug-log";
import { redactSecrets } from "../core/config/redact";
import { OpsError } from "../core/errors";

/** The desktop app's log file, set once by main.ts when the app is ready. */
let bugLog: BugLog | null = null;

export function logBugsTo(log: BugLog | null): void {
  bugLog = log;
}

/**
 * A failure that is not an OpsError is a bug: the renderer only gets "internal error; see the
 * host's log" (core/api/dispatch.ts safeError), so its cause goes to the main process's log file
 * (and its console), with every configured secret redacted (DESIGN: raw causes stay in the main
 * process log).
 */
export function logUnexpected(
  where: string,
  error: unknown,
  secrets: readonly string[],
  log: (line: string) => void = console.error,
): void {
  if (error instanceof OpsError) return;
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  log(`molecule-ops: unexpected error in ${where}: ${redactSecrets(text, secrets)}`);
  bugLog?.write(where, error, secrets);
}
