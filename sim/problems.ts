import type { SimState } from "./types";

/**
 * One fleet problem of each kind the doctor finds (the two it learns from the console's own
 * history, a failed Stop and long doubt, are made by using the console against faults). The
 * orphan is made `orphanAfterMs` later: the instance must first be seen by a sync while its
 * workspace still points at it, as in the incident, before the platform forgets it.
 */
export function injectProblems(state: SimState, orphanAfterMs: number): { cancel(): void } {
  const online = state.workspaces().filter((w) => w.status === "online" && w.instance_id);
  const [malformed, orphan, doubtful] = online;
  if (malformed) state.corruptBinding(malformed.id);
  if (doubtful?.instance_id) state.breakStatus(doubtful.instance_id);
  state.addStuckBoot(15, { name: "stuck-boot" });
  const timer = setTimeout(() => {
    if (orphan && state.workspace(orphan.id)?.status === "online") state.removeLeavingInstance(orphan.id);
  }, orphanAfterMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}
