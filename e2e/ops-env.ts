import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sim, type SimTiming, startSim } from "../sim";
import type { TenantWorkspace } from "../sim/types";
import { clockEnv, testNow } from "./test-clock";

/** The workspaces every test can count on, besides the emulator's seeded ones. */
export interface KnownWorkspaces {
  alpha: TenantWorkspace;
  bravo: TenantWorkspace;
  charlie: TenantWorkspace;
  delta: TenantWorkspace;
  crash: TenantWorkspace;
  quarantined: TenantWorkspace;
  external: TenantWorkspace;
}

export interface OpsEnv {
  sim: Sim;
  /** The page URL the host printed (…/#token=…). */
  url: string;
  origin: string;
  token: string;
  known: KnownWorkspaces;
  /** The host's process id (`molecule-ops serve`), e.g. to read its CPU time and RSS from /proc. */
  hostPid: number;
  /** The tenant's own server log (the emulator writes it), as staff get it from a real tenant. */
  serverLog: string;
  /** The configured secrets (what must never reach the page). */
  secrets: string[];
  /** Stops the host and, unless already closed, the emulator; removes the temp home. */
  close(): Promise<void>;
}

/**
 * Fast enough for tests, slow enough that every state is observable; agents heartbeat every 2 s
 * (the platform's ~30 s would leave a fresh workspace without one for most of a short test).
 */
const TIMING: Partial<SimTiming> = {
  pendingMs: 100,
  stoppingMs: 100,
  provisioningMs: 800,
  flapMs: 4000,
  heartbeatMs: 2000,
};

/**
 * An emulator with known workspaces, run as a real SaaS tenant is (the edge in front of it, its
 * own server log), and a browser host (`molecule-ops serve`, a real child process) pointed at it
 * through the environment, with its own MOLECULE_OPS_HOME. Before the host starts, the tenant's
 * server log is imported into the host's cache with the real CLI, as `npm start` does
 * (bin/start.mjs): the tenant API never says which instance a workspace runs on, so that log is
 * where the known workspaces' instances on file come from. Everything runs on the test clock
 * (test-clock.ts): the emulator starts at it, the host and the CLI get it through clockEnv().
 */
export async function startOpsEnv(
  o: {
    workspaces?: number;
    cp?: boolean;
    envProfile?: boolean;
    timing?: Partial<SimTiming>;
    /** Added to the host's environment only (not the import's), e.g. NODE_OPTIONS for a probe. */
    hostEnv?: NodeJS.ProcessEnv;
  } = {},
): Promise<OpsEnv> {
  const home = await mkdtemp(join(tmpdir(), "molecule-ops-e2e-"));
  const serverLog = join(home, "tenant-server.log");
  let sim: Sim;
  try {
    sim = await startSim({
      workspaces: o.workspaces ?? 24,
      seed: 7,
      crashRatio: 0,
      timing: { ...TIMING, ...o.timing },
      startAt: testNow(),
      saasEdge: true,
      logFile: serverLog,
    });
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  const known = addKnownWorkspaces(sim);
  // envProfile false: a host with no profile at all (a first start), the emulator set up in Settings.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(o.envProfile === false ? {} : sim.env),
    MOLECULE_OPS_HOME: home,
    ...clockEnv(),
  };
  for (const name of ["MOLECULE_OPS_DB", "MOLECULE_CP_URL", "PROVISION_SHARED_SECRET"]) delete env[name];
  if (o.envProfile === false) for (const name of Object.keys(sim.env)) delete env[name];
  if (o.cp === false) delete env.CP_PROVISION_URL;
  let host: { proc: ChildProcess; url: string };
  try {
    // The emulator batches its log writes per event-loop turn: the known workspaces' lines are
    // in the file after one more turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await importLog(env, serverLog);
    host = await startHost({ ...env, ...o.hostEnv });
  } catch (error) {
    await sim.close();
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  const parsed = new URL(host.url);
  let simClosed = false;
  const closeSim = sim.close.bind(sim);
  sim.close = async () => {
    if (simClosed) return;
    simClosed = true;
    await closeSim();
  };
  return {
    sim,
    url: host.url,
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get("token") ?? "",
    known,
    hostPid: host.proc.pid ?? 0,
    serverLog,
    secrets: [sim.env.ADMIN_TOKEN, sim.env.MOLECULE_CP_SHARED_SECRET, sim.env.CP_ADMIN_API_TOKEN].filter(
      (s): s is string => typeof s === "string" && s !== "",
    ),
    async close() {
      await stopProcess(host.proc);
      await sim.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

function addKnownWorkspaces(sim: Sim): KnownWorkspaces {
  const s = sim.state;
  return {
    alpha: s.addWorkspace({ name: "e2e-alpha", status: "online", runtime: "langgraph", tier: 2 }),
    bravo: s.addWorkspace({ name: "e2e-bravo", status: "online", runtime: "codex", tier: 3 }),
    charlie: s.addWorkspace({ name: "e2e-charlie", status: "online", runtime: "hermes", tier: 1 }),
    delta: s.addWorkspace({ name: "e2e-delta", status: "online", runtime: "autogen", tier: 4 }),
    // A boot that printed RUNTIME CRASHED and a traceback half an hour ago (the sim's stuck boot).
    crash: s.addStuckBoot(30, { name: "e2e-crash", runtime: "crewai", tier: 4 }),
    quarantined: s.addWorkspace({ name: "e2e-quarantined", status: "quarantined", runtime: "openclaw", tier: 2 }),
    // Run by its operator: the platform never gives it a machine, so no instance is ever on file.
    external: s.addWorkspace({ name: "e2e-external", status: "online", runtime: "external", tier: 1 }),
  };
}

/** `molecule-ops import-log FILE` into the host's cache (same env, so the same MOLECULE_OPS_HOME). */
async function importLog(env: NodeJS.ProcessEnv, file: string): Promise<void> {
  const proc = spawn(process.execPath, ["bin/molecule-ops.mjs", "import-log", file], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  proc.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.once("error", reject);
    proc.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`molecule-ops import-log ${file} exited ${code}:\n${output}`);
}

export async function startHost(env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ["bin/molecule-ops.mjs", "serve", "--port", "0"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not print its URL in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /browser host at (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", (c: Buffer) => {
      output += c.toString();
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited with ${code} before printing its URL:\n${output}`));
    });
  });
  return { proc, url };
}

export async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const kill = setTimeout(() => proc.kill("SIGKILL"), 5000);
    proc.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill("SIGTERM");
  });
}

/** Waits (up to 3 minutes) until the host lists at least `count` workspaces: a large emulator seeds for a while. */
export async function waitForListed(env: OpsEnv, count: number): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const res = await fetch(`${env.origin}/api/request/workspaces.list`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-molecule-ops-token": env.token },
      body: "{}",
    });
    const body = (await res.json()) as { ok: boolean; result?: { rows: unknown[] } };
    if ((body.result?.rows.length ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`the host never listed ${count} workspaces`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
