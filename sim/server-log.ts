import { appendFileSync, writeFileSync } from "node:fs";
import { formatProvlogLine } from "../core/provlog";
import { formatGoLogTimestamp } from "../core/provlog/go-time";
import { type AccessEntry, formatAccessLine } from "./access-log";

/** One line of the log, with the instant it is about (history is written sorted by it). */
export interface LogLine {
  at: number;
  text: string;
}

/**
 * The tenant server's own log (docs/contracts.md §7 `--log FILE`): what `docker logs` of a real tenant shows.
 * log.Printf lines carry Go's standard prefix (`2006/01/02 15:04:05 `, LstdFlags; hosts run UTC);
 * provlog records are `evt: <name> <json>` written by this repo's Go-compatible emitter
 * (core/provlog, the same bytes as provlog.Event); gin's access lines have no prefix. Staff learn
 * workspace→instance ids from exactly this (`molecule-ops import-log`).
 *
 * Writes are batched per event-loop turn (one appendFileSync each) so a busy sim does not pay a
 * syscall a line, and the order of lines is the order of calls. A failing write is dropped, as
 * Go's logger drops its writer's errors: the log must never break the server.
 */
export class ServerLog {
  private pending: string[] = [];
  private flushScheduled = false;

  constructor(private readonly path: string | null) {}

  get enabled(): boolean {
    return this.path !== null;
  }

  /** log.Printf. */
  printf(at: number, message: string): void {
    if (this.path) this.push(proseLine(at, message));
  }

  /** provlog.Event. */
  event(at: number, name: string, fields: Record<string, unknown>): void {
    if (this.path) this.push(eventLine(at, name, fields));
  }

  /** A line formatted elsewhere (seed-history.ts builds the shared ones). */
  write(line: LogLine): void {
    if (this.path) this.push(line.text);
  }

  /** gin's access line for one request. */
  access(entry: AccessEntry): void {
    if (this.path) this.push(formatAccessLine(entry));
  }

  /** Starts the file (truncating an older run's) with the history, oldest first. */
  writeHistory(lines: readonly LogLine[]): void {
    if (!this.path) return;
    const sorted = [...lines].sort((a, b) => a.at - b.at);
    writeFileSync(this.path, sorted.map((line) => `${line.text}\n`).join(""), { mode: 0o600 });
  }

  flush(): void {
    this.flushScheduled = false;
    if (!this.path || this.pending.length === 0) return;
    const text = `${this.pending.join("\n")}\n`;
    this.pending = [];
    try {
      appendFileSync(this.path, text);
    } catch {
      // dropped, see the class comment
    }
  }

  private push(line: string): void {
    this.pending.push(line);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }
}

/** A log.Printf line for the history. */
export function proseLine(at: number, message: string): string {
  return `${formatGoLogTimestamp(new Date(at))} ${message}`;
}

/** A provlog record for the history. */
export function eventLine(at: number, name: string, fields: Record<string, unknown>): string {
  return formatProvlogLine(name, fields, new Date(at));
}
