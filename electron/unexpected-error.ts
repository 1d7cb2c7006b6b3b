import { redactSecrets } from "../core/config/redact";
import { OpsError } from "../core/errors";

/**
 * A failure that is not an OpsError is a bug: the renderer only gets "internal error; see the
 * host's log" (core/api/dispatch.ts safeError), so its cause goes to the main process's log,
 * with every configured secret redacted (DESIGN: raw causes stay in the main process log).
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
}
