import type { QueryClient } from "@tanstack/react-query";
import type { RestartProgress, RestartVia } from "../../core/api/views";
import { keys } from "../app/query-keys";
import type { UiOpsClient } from "../ui-ops-client";
import { FINISHED, putRun, runOf, updateRun } from "./restart-store";

/**
 * The grace period the page asks for: the first request goes out this long after the confirm,
 * and until then Cancel stops the restart with nothing sent. The host keeps the time and says
 * what can still be cancelled (core/ops/restart.ts); the page only shows it.
 */
export const GRACE_MS = 3000;

/** The progress subscription of each restart this page follows. */
const following = new Map<string, () => void>();

export interface RestartTarget {
  id: string;
  label: string;
  instanceId: string | null;
}

/** Asks the host to restart after the grace period, then renders what its progress says. */
export function beginRestart(client: UiOpsClient, queryClient: QueryClient, target: RestartTarget, via: RestartVia) {
  const current = runOf(target.id);
  if (current && !FINISHED.has(current.phase)) return;
  unfollow(target.id);
  putRun({
    workspaceId: target.id,
    label: target.label,
    via,
    phase: "sending",
    progress: null,
    refused: null,
    instanceBefore: target.instanceId,
    cancelNote: null,
  });
  void start(client, queryClient, target.id, via);
}

export async function cancelRestart(client: UiOpsClient, id: string): Promise<void> {
  const run = runOf(id);
  if (!run || FINISHED.has(run.phase)) return;
  try {
    const { cancelled } = await client.invoke("restart.cancel", { id });
    if (!cancelled)
      updateRun(id, { cancelNote: "Too late to cancel: the Stop (or restart request) was already sent." });
  } catch (error) {
    updateRun(id, { cancelNote: `Cancel failed: ${(error as Error).message}` });
  }
}

async function start(client: UiOpsClient, queryClient: QueryClient, id: string, via: RestartVia): Promise<void> {
  try {
    await client.invoke("restart.start", { id, via, graceMs: GRACE_MS });
  } catch (error) {
    updateRun(id, { phase: "failed", refused: (error as Error).message });
    refresh(queryClient, id);
    return;
  }
  let over = false;
  const unsubscribe = client.subscribe("restart.progress", { id }, (progress: RestartProgress) => {
    updateRun(id, { phase: progress.phase, progress });
    if (!progress.outcome) return;
    over = true;
    unfollow(id);
    refresh(queryClient, id);
  });
  if (over) unsubscribe();
  else following.set(id, unsubscribe);
}

/** What a restart changes: the list, the workspace's detail, the timeline (its journal). */
function refresh(queryClient: QueryClient, id: string): void {
  void queryClient.invalidateQueries({ queryKey: keys.workspaces });
  void queryClient.invalidateQueries({ queryKey: keys.detail(id) });
  void queryClient.invalidateQueries({ queryKey: ["timeline"] });
}

function unfollow(id: string): void {
  following.get(id)?.();
  following.delete(id);
}
