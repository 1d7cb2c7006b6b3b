/**
 * Helpers for the sim's own tests: real HTTP against a real sim, headers built the way the
 * seed's CPProvisioner builds them (SPEC §2) and the way the console calls the tenant (§3).
 */
import { afterEach } from "vitest";
import type { SimOptions } from "./options";
import { type Sim, startSim } from "./start-sim";

/** Short state-machine delays so a whole lifecycle fits in a test. */
export const FAST = { pendingMs: 40, stoppingMs: 40, provisioningMs: 120, flapMs: 40 };

/** A sim factory for a test file: each sim starts FAST and is closed after each test. */
export function simsPerTest(): (options?: SimOptions) => Promise<Sim> {
  let sims: Sim[] = [];
  afterEach(async () => {
    await Promise.all(sims.map((s) => s.close()));
    sims = [];
  });
  return async (options = {}) => {
    const started = await startSim({ timing: FAST, ...options });
    sims.push(started);
    return started;
  };
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

export function tenantHeaders(sim: Sim): Record<string, string> {
  return { authorization: `Bearer ${sim.env.ADMIN_TOKEN}`, "x-molecule-org-id": `${sim.env.MOLECULE_ORG_ID}` };
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
