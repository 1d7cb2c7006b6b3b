import { spawn } from "node:child_process";

export interface TimedRun {
  seconds: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Output kept per stream: enough for a JSON report or an error, never a whole export. */
const KEEP_CHARS = 256 * 1024;

/**
 * Runs a child to completion and measures its wall time from spawn to exit: the user's view,
 * process start-up included for subject and baseline alike.
 */
export function runTimed(command: string, args: readonly string[], cwd: string): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      if (stdout.length < KEEP_CHARS) stdout += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      if (stderr.length < KEEP_CHARS) stderr += s;
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      resolve({ seconds: (performance.now() - started) / 1000, code, signal, stdout, stderr });
    });
  });
}

/** A shell pipeline, with pipefail so a failing stage is not hidden by the last one. */
export function runShellTimed(script: string, cwd: string): Promise<TimedRun> {
  return runTimed("bash", ["-o", "pipefail", "-c", script], cwd);
}

export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

export function describeFailure(what: string, run: TimedRun): string {
  const status = run.signal ? `signal ${run.signal}` : `exit ${run.code}`;
  const tail = (run.stderr || run.stdout).trim().split("\n").slice(-5).join("\n    ");
  return `${what} failed (${status})${tail ? `:\n    ${tail}` : ""}`;
}

/**
 * Baseline and subject alternate, and which goes first flips every round, so neither side
 * systematically gets the warm page cache or the quiet moment on a shared 2-core machine.
 * Each side's best time is what is compared: noise only ever adds time.
 */
export async function interleave(
  rounds: number,
  baseline: (round: number) => Promise<number>,
  subject: (round: number) => Promise<number>,
): Promise<{ baseline: number[]; subject: number[] }> {
  const b: number[] = [];
  const s: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      b.push(await baseline(round));
      s.push(await subject(round));
    } else {
      s.push(await subject(round));
      b.push(await baseline(round));
    }
  }
  return { baseline: b, subject: s };
}

export function best(xs: readonly number[]): number {
  return Math.min(...xs);
}

/** Nearest-rank percentile of unsorted samples, `p` in (0, 100]. */
export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
