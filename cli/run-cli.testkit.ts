import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../bin/molecule-ops.mjs", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user or a script would. */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Imports an emulated tenant's server log with the real CLI (`import-log FILE`), the way an
 * operator learns which instance each workspace runs on: the tenant API never says (docs/contracts.md §3).
 * The emulator writes its log once per event-loop turn, so one turn passes first. Extra
 * arguments (e.g. `--db FILE`) are passed on; a failed import fails the test.
 */
export async function importServerLog(
  logFile: string,
  env: Record<string, string | undefined>,
  extraArgs: string[] = [],
): Promise<{ lines: number; events: number; bindings: number; [key: string]: unknown }> {
  await new Promise((resolve) => setImmediate(resolve));
  const r = await runCli(["import-log", logFile, "--json", ...extraArgs], env);
  if (r.code !== 0) throw new Error(`import-log ${logFile} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
