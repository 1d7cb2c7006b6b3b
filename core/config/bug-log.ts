import { closeSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { userDataDir } from "./data-dir";
import { ensurePrivateDir } from "./private-dir";
import { openPrivateAppend, writeAll } from "./private-file";
import { Redactor } from "./redactor";
import { envSecrets } from "./secret-env";

/** Where a host's log goes and how much of it is kept. */
export interface LogFilePolicy {
  path: string;
  /** The current file is rotated before a line would take it past this size. */
  maxBytes: number;
  /** Rotated files kept besides the current one (`.1` newest … `.keep` oldest). */
  keep: number;
}

export const LOG_FILE_NAME = "molecule-ops.log";
/** 1 MiB × (1 + 3): bugs are rare, and a loop that hits one every request must not fill the disk. */
export const LOG_MAX_BYTES = 1 << 20;
export const LOG_KEEP = 3;

/** The CLI's and the browser host's log: `logs/` in the data folder (MOLECULE_OPS_HOME moves it). */
export function dataDirLogPolicy(env: Readonly<Record<string, string | undefined>> = process.env): LogFilePolicy {
  return { path: join(userDataDir(env), "logs", LOG_FILE_NAME), maxBytes: LOG_MAX_BYTES, keep: LOG_KEEP };
}

/**
 * The CLI's and the browser host's entry for a bug, redacted with every secret the environment
 * configures; the log's path, or null when it could not be written.
 */
export function logBugInDataDir(
  where: string,
  error: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
  secrets: readonly string[] = envSecrets(env),
): string | null {
  const log = new BugLog(dataDirLogPolicy(env));
  return log.write(where, error, secrets) ? log.policy.path : null;
}

/** Nested causes followed this deep: enough for wrapped errors, bounded for a cycle. */
const CAUSE_DEPTH = 4;

/**
 * The causes of internal errors (bugs: anything but an OpsError), which people and the renderer
 * only see as "internal error" (DESIGN: raw causes stay in the host's log, redacted). Every line
 * goes through the Redactor with the secrets the host holds: an error's message may quote an
 * upstream body or a header. A private file (0600, in a 0700 folder), rotated by size. Writing
 * never throws: a full disk must not turn one bug into another.
 */
export class BugLog {
  constructor(
    readonly policy: LogFilePolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends one entry; false when it could not be written (the caller still has stderr). */
  write(where: string, error: unknown, secrets: readonly string[]): boolean {
    const text = new Redactor(secrets).text(`internal error in ${where}: ${describeError(error)}`);
    const entry = `${this.now().toISOString()} ${oneEntry(text)}\n`;
    try {
      ensurePrivateDir(dirname(this.policy.path));
      this.rotateFor(Buffer.byteLength(entry));
      const fd = openPrivateAppend(this.policy.path);
      try {
        writeAll(fd, entry);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch {
      return false;
    }
  }

  /** `log` → `log.1` → … → `log.keep`, the oldest dropped, when `incoming` would not fit. */
  private rotateFor(incoming: number): void {
    const { path, maxBytes, keep } = this.policy;
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      return;
    }
    if (size === 0 || size + incoming <= maxBytes) return;
    for (let n = keep - 1; n >= 1; n--) {
      if (existsSync(`${path}.${n}`)) renameSync(`${path}.${n}`, `${path}.${n + 1}`);
    }
    if (keep >= 1) renameSync(path, `${path}.1`);
    else rmSync(path, { force: true });
  }
}

/** The stack (it starts with the message) and the chain of causes. */
export function describeError(error: unknown, depth = 0): string {
  let text: string;
  if (error instanceof Error) text = error.stack ?? `${error.name}: ${error.message}`;
  else text = String(error);
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause !== undefined && depth < CAUSE_DEPTH) text += `\ncaused by: ${describeError(cause, depth + 1)}`;
  return text;
}

/**
 * Upstream text in a message must not forge entries or drive a terminal that shows the log:
 * control characters go, and every line after the first is indented.
 */
function oneEntry(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "")
    .replace(/\n/g, "\n    ");
}
