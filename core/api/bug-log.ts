import { closeSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { userDataDir } from "../config/data-dir";
import { ensurePrivateDir } from "../config/private-dir";
import { openPrivateAppend, writeAll } from "../config/private-file";
import { Redactor } from "../config/redactor";
import { envSecrets } from "../config/secret-env";
import { OpsError } from "../errors";
import { removeControlCharacters } from "./terminal-text";

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
    const entry = `${this.now().toISOString()} ${logText(`internal error in ${where}: ${describeError(error)}`, secrets)}\n`;
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
 * Text for a log or a terminal: every form of every secret redacted, and upstream text in a
 * message kept from forging entries or driving a terminal that shows the log: control characters
 * go, and every line after the first is indented.
 */
function logText(raw: string, secrets: readonly string[]): string {
  return removeControlCharacters(new Redactor(secrets).text(raw).replace(/\r\n?/g, "\n")).replace(/\n/g, "\n    ");
}

/** How a host tells about a bug: `where` it happened, the error, the secrets to redact. */
export type BugReport = (where: string, error: unknown, secrets: readonly string[]) => void;

/**
 * A host's bug reports, the same in every host (issue 14): an OpsError is no bug (its safe
 * message is the answer) and is not reported; a bug's whole cause (stack, causes), redacted, goes
 * to the host's log file, and its console gets one line saying where. Only when there is no log
 * file, or it cannot be written, does the console get the redacted cause itself, so that the
 * cause is never lost.
 */
export class BugReporter {
  constructor(
    private readonly o: {
      /** The host's log file (null: none yet, as before the desktop app is ready). */
      log: BugLog | null;
      /** Who speaks on the console: "molecule-ops serve", "molecule-ops". */
      name: string;
      /** One line to the host's console (stderr, the main process's console). */
      print: (line: string) => void;
    },
  ) {}

  readonly report: BugReport = (where, error, secrets) => {
    if (error instanceof OpsError) return;
    const place = logText(where, secrets).replace(/\n\s*/g, " ");
    if (this.o.log?.write(where, error, secrets)) {
      this.o.print(`${this.o.name}: internal error in ${place}; its cause is logged in ${this.o.log.policy.path}`);
      return;
    }
    this.o.print(`${this.o.name}: unexpected error in ${place}: ${logText(describeError(error), secrets)}`);
  };
}
