import { type ChildProcessByStdio, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import type { RequestRecord, Sim, SimOptions } from "../sim";
import { simsPerTest } from "../sim/test-support";

export const BIN = fileURLToPath(new URL("../bin/molecule-ops.mjs", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the real CLI in a child process, as a user or a script would, with only PATH and HOME of
 * this process's environment; `output` holds all it has printed so far.
 */
export function startCli(
  args: string[],
  env: Record<string, string | undefined>,
): { child: ChildProcessByStdio<null, Readable, Readable>; output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (c) => {
    output.stdout += c;
  });
  child.stderr.on("data", (c) => {
    output.stderr += c;
  });
  return { child, output };
}

/** Runs the real CLI in a child process, as a user or a script would. */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const { child, output } = startCli(args, env);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, ...output }));
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

/**
 * `watch --json --interval 60` in a child process: the changes it printed so far (one JSON
 * document a line), a wait of up to 10 s for one, and a stop as Ctrl-C stops it (its exit code).
 */
export function watchJson(env: Record<string, string | undefined>) {
  const { child, output } = startCli(["watch", "--json", "--interval", "60"], env);
  const lines = () =>
    output.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  const until = async (pred: () => boolean, what = "a change") => {
    const deadline = Date.now() + 10_000;
    while (!pred()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; got: ${output.stdout} ${output.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.on("close", resolve);
      child.kill("SIGINT");
    });
  return { child, output, lines, until, stop };
}

/**
 * A tenant per test for the CLI to run against: an emulator (simsPerTest with `defaults`) that
 * writes its own server log, where an operator learns instance ids (docs/contracts.md §3), and
 * the env that points the CLI at it with a cache of its own; both files in a temp folder that
 * `prefix` names, removed after the test file.
 */
export function cliTenantsPerTest(
  prefix: string,
  defaults: SimOptions = {},
): (options?: SimOptions) => Promise<{ sim: Sim; env: Record<string, string>; logFile: string }> {
  const sims = simsPerTest(defaults);
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return async (options = {}) => {
    n += 1;
    const logFile = join(dir, `server-${n}.log`);
    const sim = await sims({ logFile, ...options });
    const env: Record<string, string> = { ...sim.env, MOLECULE_OPS_DB: join(dir, `cache-${n}.db`) };
    return { sim, env, logFile };
  };
}

/** The requests an emulator answered with `method` on `route`. */
export function requestsTo(sim: Sim, method: string, route: string): RequestRecord[] {
  return sim.state.requests().filter((r) => r.method === method && r.route === route);
}

/** What `restart --json` prints, at the least, for a restart that succeeded. */
export function restartDone(workspaceId: string, via: "cp" | "tenant", stoppedInstanceId: string | null) {
  return {
    workspace_id: workspaceId,
    via,
    outcome: "done",
    stopped_instance_id: stoppedInstanceId,
    message: null,
    error: null,
  };
}
