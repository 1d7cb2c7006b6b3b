import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { runTimed } from "./measure";

export interface PeakRss {
  kib: number;
  code: number | null;
  stdout: string;
  stderr: string;
  method: "time -v" | "/proc VmHWM";
}

const GNU_TIME = "/usr/bin/time";

function hasGnuTime(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const probe = spawnSync(GNU_TIME, ["-v", "true"], { encoding: "utf8" });
  return probe.status === 0 && /Maximum resident set size/.test(probe.stderr);
}

export function canMeasureRss(): boolean {
  return hasGnuTime() || existsSync("/proc/self/status");
}

/**
 * Peak resident set of one process. GNU time reads it from the kernel at exit (exact); the
 * fallback polls VmHWM, a high-water mark, so a sample taken any time is the peak so far and
 * only growth in the last poll interval before exit can be missed.
 */
export async function measurePeakRss(command: string, args: readonly string[], cwd: string): Promise<PeakRss> {
  if (hasGnuTime()) {
    const run = await runTimed(GNU_TIME, ["-v", command, ...args], cwd);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
    if (!m) throw new Error(`${GNU_TIME} -v printed no maximum resident set size`);
    return { kib: Number(m[1]), code: run.code, stdout: run.stdout, stderr: run.stderr, method: "time -v" };
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let kib = 0;
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) kib = Math.max(kib, Number(m[1]));
      } catch {
        // Exited between polls: the last sample stands.
      }
    }, 20);
    child.once("error", (e) => {
      clearInterval(poll);
      reject(e);
    });
    child.once("close", (code) => {
      clearInterval(poll);
      resolve({ kib, code, stdout, stderr, method: "/proc VmHWM" });
    });
  });
}
