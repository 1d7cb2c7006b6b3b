import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseProvlogLine } from "../core/provlog";
import { type BenchContext, DATA_DIR, REPO_ROOT } from "./bench-context";
import { best, interleave } from "./measure";
import { megabytes, note, ratio, result, type TargetResult } from "./report";

const TARGET_RATIO = 1.25;
const RSS_TARGET_KIB = 200 * 1024;
const CONCURRENCY = 16;
/** Seeded tenants give about half their workspaces an instance; this many cover the sweep sizes. */
const SIM_WORKSPACES = 24_000;

interface RunnerResult {
  ms: number;
  requests: number;
  uncertain: number;
  maxRssKib: number;
}

/**
 * Issue "Live status" item 5: a sweep of 1,000 workspaces against the loopback emulator at
 * concurrency 16, as a ratio to a bare undici loop issuing the same requests (same run); peak
 * RSS of a 10,000-workspace sweep; and a black-holing CP bounded by the configured timeout.
 */
export async function sweepBench(ctx: BenchContext): Promise<TargetResult[]> {
  const count = ctx.options.quick ? 200 : 1000;
  const big = ctx.options.quick ? 2000 : 10_000;
  const sim = await startSimProcess(ctx.options.quick ? 5000 : SIM_WORKSPACES);
  try {
    sim.env.TARGETS_FILE = writeTargets(sim.logFile, big);
    const results: TargetResult[] = [];
    const times = await interleave(
      ctx.options.runs,
      async () => (await runner("baseline", sim.env, count, CONCURRENCY)).ms / 1000,
      async () => {
        const r = await runner("subject", sim.env, count, CONCURRENCY);
        if (r.uncertain > 0) throw new Error(`the sweep saw ${r.uncertain} uncertain answers on a healthy emulator`);
        return r.ms / 1000;
      },
    );
    note(
      `all runs (ms): subject ${times.subject.map((s) => (s * 1000).toFixed(0)).join(", ")}; baseline ${times.baseline.map((s) => (s * 1000).toFixed(0)).join(", ")}`,
    );
    const s = best(times.subject);
    const b = best(times.baseline);
    const name = `status sweep ${count} workspaces, concurrency ${CONCURRENCY}`;
    results.push(
      result(
        name,
        s / b <= TARGET_RATIO ? "PASS" : "FAIL",
        `${name}: ${(s * 1000).toFixed(0)} ms vs bare undici ${(b * 1000).toFixed(0)} ms → ratio ${ratio(s, b)} (target ≤ ${TARGET_RATIO})`,
      ),
    );

    const large = await runner("subject", sim.env, big, CONCURRENCY);
    const rssName = `status sweep ${big} workspaces peak RSS`;
    results.push(
      result(
        rssName,
        large.maxRssKib < RSS_TARGET_KIB && large.uncertain === 0 ? "PASS" : "FAIL",
        `${rssName}: ${megabytes(large.maxRssKib)} in ${(large.ms / 1000).toFixed(2)} s (target < ${megabytes(RSS_TARGET_KIB)})`,
      ),
    );

    await setFault(sim.env, "cp.status", { kind: "blackhole" });
    const timeoutMs = 1000;
    const holed = 64;
    const stalled = await runner("subject", sim.env, holed, CONCURRENCY, timeoutMs);
    await setFault(sim.env, "cp.status", null);
    const bound = Math.ceil(holed / CONCURRENCY) * timeoutMs;
    const holeName = `black-holed CP, ${holed} workspaces, ${timeoutMs} ms timeout`;
    results.push(
      result(
        holeName,
        stalled.ms <= bound * 1.2 + 500 && stalled.uncertain === holed ? "PASS" : "FAIL",
        `${holeName}: sweep ended in ${stalled.ms.toFixed(0)} ms, ${stalled.uncertain} uncertain (bound ${bound} ms: ${holed / CONCURRENCY} rounds × timeout)`,
      ),
    );
    return results;
  } finally {
    sim.child.kill("SIGINT");
    await once(sim.child, "close");
  }
}

async function startSimProcess(
  workspaces: number,
): Promise<{ child: ChildProcess; env: Record<string, string>; logFile: string }> {
  mkdirSync(DATA_DIR, { recursive: true });
  const logFile = join(DATA_DIR, "sweep-server.log");
  // No heartbeats or chat: nobody listens to /ws here, and they would only load the machine.
  const args = ["sim", "--workspaces", String(workspaces), "--flapping", "0", "--log", logFile];
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, "bin", "molecule-ops.mjs"), ...args, "--heartbeat-ms", "0", "--chat-ms", "0"],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) env[m[1]] = m[2];
    if (env.MOLECULE_TENANT_URL) break;
  }
  if (!env.MOLECULE_TENANT_URL) throw new Error("the emulator did not print its environment");
  return { child, env, logFile };
}

/**
 * The runner as one bundled file, run as the CLI runs: under tsx, its loader thread would add
 * memory to the peak RSS measured and compile work to the timed sweeps.
 */
let bundled: string | undefined;
async function runnerBundle(): Promise<string> {
  if (bundled) return bundled;
  const { build } = await import("esbuild");
  const outfile = join(DATA_DIR, "sweep-runner.mjs");
  await build({
    entryPoints: [join(REPO_ROOT, "bench", "sweep-runner.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "error",
  });
  bundled = outfile;
  return outfile;
}

async function runner(
  mode: string,
  env: Record<string, string>,
  count: number,
  concurrency: number,
  timeoutMs = 120_000,
) {
  const script = await runnerBundle();
  const args = [script, mode, env.TARGETS_FILE ?? "", String(count), String(concurrency), String(timeoutMs)];
  return new Promise<RunnerResult>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.stderr.on("data", (c) => {
      err += c;
    });
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`sweep ${mode} exited ${code}: ${err.trim().slice(-300)}`));
      else resolve(JSON.parse(out) as RunnerResult);
    });
  });
}

/**
 * The first `count` workspaces whose instance the tenant's server log shows running, as the runners
 * read them: the tenant API has no instance ids (docs/contracts.md §3), so they come from its log, as in use.
 */
function writeTargets(logFile: string, count: number): string {
  const current = new Map<string, string>();
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    const r = parseProvlogLine(line);
    if (r.kind !== "event") continue;
    const ws = r.fields.workspace_id;
    const instance = r.fields.instance_id;
    if (typeof ws !== "string" || typeof instance !== "string") continue;
    if (r.name === "provision.ec2_started") current.set(ws, instance);
    else if (r.name === "provision.ec2_stopped" && current.get(ws) === instance) current.delete(ws);
  }
  const targets = [...current].slice(0, count).map(([id, instance_id]) => ({ id, instance_id }));
  if (targets.length < count)
    throw new Error(`the emulator's log has only ${targets.length} workspaces with an instance`);
  const path = join(DATA_DIR, "sweep-targets.json");
  writeFileSync(path, JSON.stringify(targets));
  return path;
}

async function setFault(env: Record<string, string>, route: string, fault: Record<string, unknown> | null) {
  const res = await fetch(`${env.MOLECULE_TENANT_URL}/_sim/faults`, {
    method: fault ? "POST" : "DELETE",
    headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
    body: fault ? JSON.stringify({ route, fault }) : undefined,
  });
  if (!res.ok) throw new Error(`setting the ${route} fault failed: ${res.status}`);
}
