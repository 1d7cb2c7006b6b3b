import type { SimState } from "./types";

/**
 * One fleet problem of each kind the doctor finds (the two it learns from the console's own
 * history, a failed Stop and long doubt, are made by using the console against faults). The
 * tenant's JSON has no instance ids, so the console learns the malformed binding and the
 * orphan's instance from the tenant's log, as staff do with a real tenant. The orphan is made
 * `orphanAfterMs` later: its workspace is first seen live (by a sync, an imported log), as in
 * the incident, before the platform's Delete leaves its machine running.
 */
export function injectProblems(state: SimState, orphanAfterMs: number): { cancel(): void } {
  const online = state
    .workspaces()
    .filter((w) => w.status === "online" && w.runtime !== "external" && state.instanceOf(w.id) !== null);
  const [malformed, orphan, doubtful] = online;
  if (malformed) state.corruptBinding(malformed.id);
  const doubtfulInstance = doubtful ? state.instanceOf(doubtful.id) : null;
  if (doubtfulInstance) state.breakStatus(doubtfulInstance);
  state.addStuckBoot(15, { name: "stuck-boot" });
  const timer = setTimeout(() => {
    const status = orphan ? state.workspace(orphan.id)?.status : undefined;
    if (orphan && (status === "online" || status === "degraded")) state.removeLeavingInstance(orphan.id);
  }, orphanAfterMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}
