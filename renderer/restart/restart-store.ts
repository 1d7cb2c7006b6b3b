import type { RestartVia } from "../../core/ops/restart";
import { createStore } from "../app/small-store";

/**
 * waiting: confirmed, nothing sent yet (cancel is free); sending/running: the host has it; noop:
 * the tenant had nothing to restart (an external workspace).
 */
export type RunPhase = "waiting" | "sending" | "running" | "done" | "noop" | "failed" | "cancelled" | "timeout";

export interface TrailStep {
  step: string;
  at: string;
  detail: string | null;
  /** page: what this page did; host: a RestartStep the host reported. */
  origin: "page" | "host";
}

export interface RestartRun {
  workspaceId: string;
  label: string;
  via: RestartVia;
  phase: RunPhase;
  steps: TrailStep[];
  error: string | null;
  /** The step the restart had reached when it failed. */
  failedStep: string | null;
  /** ms: when the request goes out, while waiting. */
  sendAt: number | null;
  /** The instance the workspace had when the restart was confirmed. */
  instanceBefore: string | null;
  /** The instance Stopped through the CP (via cp). */
  stoppedInstanceId: string | null;
  /** The tenant's own words for a noop. */
  message: string | null;
  /** Why a cancel did not take. */
  cancelNote: string | null;
  startedAt: string;
}

export const FINISHED: ReadonlySet<RunPhase> = new Set(["done", "noop", "failed", "cancelled", "timeout"]);

/** Restarts started from this page, by workspace: they outlive the detail panel that shows them. */
export const restarts = createStore<{ runs: Readonly<Record<string, RestartRun>> }>({ runs: {} });

export function runOf(id: string): RestartRun | undefined {
  return restarts.get().runs[id];
}

export function updateRun(id: string, patch: Partial<RestartRun> | ((run: RestartRun) => Partial<RestartRun>)): void {
  restarts.set((s) => {
    const run = s.runs[id];
    if (!run) return {};
    const next = typeof patch === "function" ? patch(run) : patch;
    return { runs: { ...s.runs, [id]: { ...run, ...next } } };
  });
}

export function putRun(run: RestartRun): void {
  restarts.set((s) => ({ runs: { ...s.runs, [run.workspaceId]: run } }));
}

/** Appends steps not seen yet (a re-subscription replays the steps so far). */
export function withSteps(run: RestartRun, steps: readonly TrailStep[]): TrailStep[] {
  const seen = new Set(run.steps.map((s) => `${s.origin}|${s.step}|${s.at}`));
  const fresh = steps.filter((s) => !seen.has(`${s.origin}|${s.step}|${s.at}`));
  return fresh.length === 0 ? run.steps : [...run.steps, ...fresh];
}

/**
 * Cancel still helps: before the Stop (cp) or the restart request went out. The host commits in
 * the same tick it reports pre_stop (cp) or request (tenant), so seeing either means too late.
 */
export function canCancel(run: RestartRun): boolean {
  if (run.phase === "waiting" || run.phase === "sending") return true;
  if (run.phase !== "running") return false;
  return !run.steps.some((s) => s.origin === "host" && COMMITTED.has(s.step));
}

const COMMITTED: ReadonlySet<string> = new Set(["pre_stop", "stop", "stopped", "request", "accepted", "noop"]);
