import { OpsError } from "../core/errors";

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/**
 * One clear line on stderr, never a stack trace. Only OpsError messages are shown as they are:
 * they are written to be safe. Anything else is a bug, reported without its details, which
 * could hold anything.
 */
export function reportError(error: unknown, json: boolean): OpsError {
  const safe =
    error instanceof OpsError
      ? error
      : new OpsError(
          "Input",
          `internal error (${error instanceof Error ? error.name : typeof error}); please report it`,
        );
  process.stderr.write(`molecule-ops: ${safe.message}\n`);
  // Opt-in detail for a bug report: the stack of an unexpected error (never an OpsError's cause,
  // which may hold upstream text).
  if (!(error instanceof OpsError) && process.env.MOLECULE_OPS_DEBUG && error instanceof Error) {
    process.stderr.write(`${error.stack ?? error.message}\n`);
  }
  if (json) printJson({ error: safe.toJSON() });
  return safe;
}

/** Keeps colours (SGR) but drops escape sequences that could move the cursor or retitle the terminal. */
export function terminalSafe(text: string): string {
  return text
    .replace(/\u001b\[[0-9;]*m/g, (sgr) => `\u0000${sgr.slice(1)}`)
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, "")
    .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g, "")
    .replace(/\u001b[@-_]?/g, "")
    .replace(/[\u0001-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f]/g, "")
    .replace(/\u0000\[/g, "\u001b[");
}
