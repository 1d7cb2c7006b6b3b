/**
 * Helpers for the sim's own tests: real HTTP against a real sim, headers built the way the
 * seed's CPProvisioner builds them (docs/contracts.md §2) and the way the console calls the tenant (§3).
 */
import { afterEach } from "vitest";
import type { SimOptions } from "./options";
import { type Sim, startSim } from "./start-sim";

/**
 * Short state-machine delays so a whole lifecycle fits in a test; no heartbeats or chat unless a
 * test asks (they would interleave with the messages it waits for).
 */
export const FAST = {
  pendingMs: 40,
  stoppingMs: 40,
  provisioningMs: 120,
  flapMs: 40,
  heartbeatMs: 0,
  chatMs: 0,
  broadcastLagMs: 2,
  stopRetryMs: 20,
};

/**
 * Delays no test outlives: no instance changes state, no boot finishes, nothing flaps. For tests
 * that compare an answer with state read at another moment, count what happened, or check a state
 * a FAST timer would end: on a loaded machine FAST timers fire between any two lines of a test.
 * A test that needs one transition drives it (state.setInstanceState, setWorkspaceStatus).
 */
export const STILL = { pendingMs: 600_000, stoppingMs: 600_000, provisioningMs: 600_000, flapMs: 600_000 };

/** The names of the env a sim serves, the names the product reads, in sorted order. */
export const SIM_ENV_NAMES = [
  "ADMIN_TOKEN",
  "CP_ADMIN_API_TOKEN",
  "CP_PROVISION_URL",
  "MOLECULE_CP_SHARED_SECRET",
  "MOLECULE_ORG_ID",
  "MOLECULE_TENANT_URL",
];

/**
 * vi.waitFor options for what the emulator's timers bring: a loaded CI machine reaches the default
 * deadline (1 s), not this one; polled often, so an idle run waits no longer than it must.
 */
export const PATIENT = { timeout: 20_000, interval: 10 };

/** Every test sim's clock starts here: nothing a test checks depends on the wall clock. */
export const START = Date.parse("2026-12-03T07:45:44.000Z");

/**
 * A sim factory for a test file: each sim starts FAST (plus `defaults`) and is closed after each
 * test. Its clock is the real now unless told otherwise: tests that run the console beside it
 * (on the wall clock) need the two to agree.
 */
export function simsPerTest(defaults: SimOptions = {}): (options?: SimOptions) => Promise<Sim> {
  let sims: Sim[] = [];
  afterEach(async () => {
    await Promise.all(sims.map((s) => s.close()));
    sims = [];
  });
  return async (options = {}) => {
    const timing = { ...FAST, ...defaults.timing, ...options.timing };
    const started = await startSim({ ...defaults, ...options, timing });
    sims.push(started);
    return started;
  };
}

/** The sim's own tests: FAST, and a clock that starts at START, so nothing depends on the wall clock. */
export function simsAtStart(): (options?: SimOptions) => Promise<Sim> {
  return simsPerTest({ startAt: START });
}

export function provisionHeaders(sim: Sim): Record<string, string> {
  return {
    authorization: `Bearer ${sim.env.MOLECULE_CP_SHARED_SECRET}`,
    "x-molecule-admin-token": `${sim.env.ADMIN_TOKEN}`,
  };
}

export function adminHeaders(sim: Sim): Record<string, string> {
  return { authorization: `Bearer ${sim.env.CP_ADMIN_API_TOKEN}`, "x-molecule-admin-token": `${sim.env.ADMIN_TOKEN}` };
}

/** What the console sends the tenant (docs/contracts.md §3): ADMIN_TOKEN, the org id, and the tenant URL's own Origin. */
export function tenantHeaders(sim: Sim): Record<string, string> {
  return {
    authorization: `Bearer ${sim.env.ADMIN_TOKEN}`,
    "x-molecule-org-id": `${sim.env.MOLECULE_ORG_ID}`,
    origin: new URL(sim.url).origin,
  };
}

/** The org header alone: what the open routes and the /ws feed need. */
export function orgHeaders(sim: Sim): Record<string, string> {
  return { "x-molecule-org-id": `${sim.env.MOLECULE_ORG_ID}`, origin: new URL(sim.url).origin };
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests index into whatever JSON came back
  json: any;
}

export async function call(
  sim: Sim,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: unknown; rawBody?: string; signal?: AbortSignal } = {},
): Promise<CallResult> {
  const headers = { ...init.headers };
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] = "application/json";
  }
  const res = await fetch(`${sim.url}${path}`, { method, headers, body, signal: init.signal });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function provisionBody(sim: Sim, workspaceId: string, extra: Record<string, unknown> = {}) {
  return {
    org_id: sim.env.MOLECULE_ORG_ID,
    workspace_id: workspaceId,
    runtime: "langgraph",
    tier: 2,
    platform_url: sim.url,
    env: {},
    ...extra,
  };
}
