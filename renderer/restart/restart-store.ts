import type { RestartProgress, RestartVia } from "../../core/api/views";
import { createStore } from "../app/small-store";

/**
 * sending: the page asked the host to start it and has no answer yet; then the host's phase
 * (waiting out the grace period, running, then the outcome's: core/ops/restart.ts).
 */
export type RunPhase = "sending" | RestartProgress["phase"];

export interface RestartRun {
  workspaceId: string;
  label: string;
  via: RestartVia;
  phase: RunPhase;
  /** The restart as the host last pushed it (`restart.progress`); null until the first push. */
  progress: RestartProgress | null;
  /** Why the host refused to start it (restart.start's error). */
  refused: string | null;
  /** The instance the workspace had when the restart was confirmed. */
  instanceBefore: string | null;
  /** Why a cancel did not take. */
  cancelNote: string | null;
}

export const FINISHED: ReadonlySet<RunPhase> = new Set(["done", "noop", "failed", "cancelled", "timeout"]);

/** Restarts started from this page, by workspace: they outlive the detail panel that shows them. */
export const restarts = createStore<{ runs: Readonly<Record<string, RestartRun>> }>({ runs: {} });

export function runOf(id: string): RestartRun | undefined {
  return restarts.get().runs[id];
}

export function updateRun(id: string, patch: Partial<RestartRun>): void {
  restarts.set((s) => {
    const run = s.runs[id];
    if (!run) return {};
    return { runs: { ...s.runs, [id]: { ...run, ...patch } } };
  });
}

export function putRun(run: RestartRun): void {
  restarts.set((s) => ({ runs: { ...s.runs, [run.workspaceId]: run } }));
}
