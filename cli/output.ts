import { keepColoursOnly } from "../core/api/terminal-text";
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

/**
 * For a terminal: keeps colours (well-formed SGR sequences), \n and \t, and drops every other
 * escape sequence and control character, NUL and C1 included, in one pass (see
 * core/api/terminal-text.ts): a workspace's console must not clear the screen or fake output.
 */
export function terminalSafe(text: string): string {
  return keepColoursOnly(text);
}
