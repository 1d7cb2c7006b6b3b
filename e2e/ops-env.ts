import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sim, startSim } from "../sim";
import type { TenantWorkspace } from "../sim/types";

/** The workspaces every test can count on, besides the emulator's seeded ones. */
export interface KnownWorkspaces {
  alpha: TenantWorkspace;
  bravo: TenantWorkspace;
  charlie: TenantWorkspace;
  delta: TenantWorkspace;
  crash: TenantWorkspace;
  quarantined: TenantWorkspace;
}

export interface OpsEnv {
  sim: Sim;
  /** The page URL the host printed (…/#token=…). */
  url: string;
  origin: string;
  token: string;
  known: KnownWorkspaces;
  /** The configured secrets (what must never reach the page). */
  secrets: string[];
  /** Stops the host and, unless already closed, the emulator; removes the temp home. */
  close(): Promise<void>;
}

/** Fast enough for tests, slow enough that every state is observable. */
const TIMING = { pendingMs: 100, stoppingMs: 100, provisioningMs: 800, flapMs: 4000 };

/**
 * An emulator with known workspaces, and a browser host (`molecule-ops serve`, a real child
 * process) pointed at it through the environment, with its own MOLECULE_OPS_HOME.
 */
export async function startOpsEnv(
  o: { workspaces?: number; cp?: boolean; envProfile?: boolean } = {},
): Promise<OpsEnv> {
  const sim = await startSim({ workspaces: o.workspaces ?? 24, seed: 7, crashRatio: 0, timing: TIMING });
  const known = addKnownWorkspaces(sim);
  const home = await mkdtemp(join(tmpdir(), "molecule-ops-e2e-"));
  // envProfile false: a host with no profile at all (a first start), the emulator set up in Settings.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(o.envProfile === false ? {} : sim.env),
    MOLECULE_OPS_HOME: home,
  };
  for (const name of ["MOLECULE_OPS_DB", "MOLECULE_CP_URL", "PROVISION_SHARED_SECRET"]) delete env[name];
  if (o.envProfile === false) for (const name of Object.keys(sim.env)) delete env[name];
  if (o.cp === false) delete env.CP_PROVISION_URL;
  let host: { proc: ChildProcess; url: string };
  try {
    host = await startHost(env);
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
  const stuck = (s as unknown as { addStuckBoot?: (minutes: number, p: Partial<TenantWorkspace>) => TenantWorkspace })
    .addStuckBoot;
  return {
    alpha: s.addWorkspace({ name: "e2e-alpha", status: "online", runtime: "langgraph", tier: 2 }),
    bravo: s.addWorkspace({ name: "e2e-bravo", status: "online", runtime: "codex", tier: 3 }),
    charlie: s.addWorkspace({ name: "e2e-charlie", status: "online", runtime: "hermes", tier: 1 }),
    delta: s.addWorkspace({ name: "e2e-delta", status: "online", runtime: "autogen", tier: 4 }),
    // A boot that printed RUNTIME CRASHED and a traceback half an hour ago (the sim's stuck boot).
    crash: stuck
      ? stuck.call(s, 30, { name: "e2e-crash", runtime: "crewai", tier: 4 })
      : s.addWorkspace({ name: "e2e-crash", status: "provisioning", runtime: "crewai", tier: 4 }),
    quarantined: s.addWorkspace({ name: "e2e-quarantined", status: "quarantined", runtime: "openclaw", tier: 2 }),
  };
}

async function startHost(env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; url: string }> {
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

async function stopProcess(proc: ChildProcess): Promise<void> {
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
