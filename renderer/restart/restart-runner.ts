import type { QueryClient } from "@tanstack/react-query";
import type { RestartProgress, RestartView } from "../../core/api/views";
import type { RestartOutcome, RestartVia } from "../../core/ops/restart";
import { keys } from "../app/query-keys";
import type { UiOpsClient } from "../ui-ops-client";
import { journalSteps } from "./journal-steps";
import { FINISHED, putRun, type RestartRun, runOf, type TrailStep, updateRun, withSteps } from "./restart-store";

/**
 * Seconds between the confirm and the request. The host commits a restart in the same tick it
 * starts it (pre_stop then Stop, or the tenant's restart request), so this window is where a
 * cancel before anything is sent really works.
 */
export const GRACE_MS = 3000;
const POLL_MS = 1000;

interface Handles {
  grace?: ReturnType<typeof setTimeout>;
  poll?: ReturnType<typeof setInterval>;
  unsubscribe?: () => void;
}
const handles = new Map<string, Handles>();

export interface RestartTarget {
  id: string;
  label: string;
  instanceId: string | null;
}

export function beginRestart(client: UiOpsClient, queryClient: QueryClient, target: RestartTarget, via: RestartVia) {
  const current = runOf(target.id);
  if (current && !FINISHED.has(current.phase)) return;
  const now = new Date();
  const run: RestartRun = {
    workspaceId: target.id,
    label: target.label,
    via,
    phase: "waiting",
    steps: [
      {
        step: "confirmed",
        at: now.toISOString(),
        detail: `via ${via}; the request goes out in ${GRACE_MS / 1000} s unless cancelled`,
        origin: "page",
      },
    ],
    error: null,
    failedStep: null,
    sendAt: now.getTime() + GRACE_MS,
    instanceBefore: target.instanceId,
    stoppedInstanceId: null,
    message: null,
    cancelNote: null,
    startedAt: now.toISOString(),
  };
  putRun(run);
  handles.set(target.id, { grace: setTimeout(() => void send(client, queryClient, target.id, via), GRACE_MS) });
}

export async function cancelRestart(client: UiOpsClient, id: string): Promise<void> {
  const run = runOf(id);
  if (!run) return;
  if (run.phase === "waiting") {
    cleanup(id);
    const at = new Date().toISOString();
    updateRun(id, (r) => ({
      phase: "cancelled",
      sendAt: null,
      steps: withSteps(r, [
        { step: "cancelled", at, detail: "nothing was sent to the tenant or the CP", origin: "page" },
      ]),
    }));
    return;
  }
  try {
    const { cancelled } = await client.invoke("restart.cancel", { id });
    if (!cancelled)
      updateRun(id, { cancelNote: "Too late to cancel: the Stop (or restart request) was already sent." });
  } catch (error) {
    updateRun(id, { cancelNote: `Cancel failed: ${(error as Error).message}` });
  }
}

async function send(client: UiOpsClient, queryClient: QueryClient, id: string, via: RestartVia): Promise<void> {
  const sentAt = Date.now();
  updateRun(id, (r) => ({
    phase: "sending",
    sendAt: null,
    steps: withSteps(r, [
      { step: "sent", at: new Date(sentAt).toISOString(), detail: `restart.start via ${via}`, origin: "page" },
    ]),
  }));
  try {
    await client.invoke("restart.start", { id, via });
  } catch (error) {
    fail(queryClient, id, "request", (error as Error).message);
    return;
  }
  updateRun(id, { phase: "running" });
  const h = handles.get(id) ?? {};
  handles.set(id, h);
  h.unsubscribe = client.subscribe(
    "restart.progress",
    { id },
    (item: RestartProgress) => {
      if (item.kind === "step") {
        updateRun(id, (r) => ({ steps: withSteps(r, [{ ...item.step, origin: "host" }]) }));
      } else {
        finish(queryClient, id, item.outcome);
      }
    },
    () => {},
  );
  // The progress stream holds nothing for a restart that already ended (a Stop failing in
  // milliseconds): the restart's row and journal tell how it ended.
  h.poll = setInterval(() => void pollOnce(client, queryClient, id, sentAt), POLL_MS);
}

async function pollOnce(client: UiOpsClient, queryClient: QueryClient, id: string, sentAt: number): Promise<void> {
  const run = runOf(id);
  if (!run || FINISHED.has(run.phase)) return cleanup(id);
  let view: RestartView | null;
  try {
    view = await client.invoke("restart.get", { id });
  } catch {
    return;
  }
  if (!view || view.state === "running" || Date.parse(view.startedAt) < sentAt - 5000) return;
  if (FINISHED.has(runOf(id)?.phase ?? "done")) return;
  let steps: TrailStep[] = view.steps.map((s) => ({ ...s, origin: "host" as const }));
  if (steps.length === 0) {
    try {
      const { rows } = await client.invoke("timeline.list", {
        filter: { workspaceId: id, since: sentAt - 1000 },
        limit: 200,
      });
      steps = journalSteps(rows, sentAt - 1000);
    } catch {
      steps = [];
    }
  }
  if (FINISHED.has(runOf(id)?.phase ?? "done")) return;
  const outcome: RestartOutcome["outcome"] =
    view.state === "done"
      ? view.step === "noop"
        ? "noop"
        : "done"
      : view.state === "cancelled"
        ? "cancelled"
        : "failed";
  updateRun(id, (r) => ({
    steps: withSteps(
      r,
      steps.filter((s) => !["failed", "done", "cancelled"].includes(s.step)),
    ),
  }));
  // What the outcome would have said, from its steps: the tenant's words for a noop, the instance
  // a cp restart Stopped first.
  const stopped = /^instance (\S+)$/.exec(steps.find((s) => s.step === "stopped")?.detail ?? "")?.[1] ?? null;
  finish(queryClient, id, {
    workspace_id: id,
    via: (view.via === "tenant" ? "tenant" : "cp") as RestartVia,
    outcome,
    stopped_instance_id: outcome === "done" ? stopped : null,
    message: outcome === "noop" ? (steps.find((s) => s.step === "noop")?.detail ?? null) : null,
    error: view.error,
    steps: [],
    lastStep: view.step,
  });
}

function finish(queryClient: QueryClient, id: string, outcome: RestartOutcome & { lastStep?: string }): void {
  cleanup(id);
  const at = new Date().toISOString();
  updateRun(id, (r) => {
    const hostSteps = withSteps(
      r,
      outcome.steps.map((s) => ({ ...s, origin: "host" as const })),
    );
    const lastHost = [...hostSteps].reverse().find((s) => s.origin === "host");
    const ok = outcome.outcome === "done" || outcome.outcome === "noop";
    const failedStep = ok ? null : (outcome.lastStep ?? lastHost?.step ?? null);
    // The host reports a noop as a step of its own already: one line of it is enough.
    const reported = lastHost?.step === outcome.outcome;
    return {
      phase: outcome.outcome,
      error: outcome.error,
      failedStep,
      stoppedInstanceId: outcome.stopped_instance_id,
      message: outcome.message,
      steps: reported
        ? hostSteps
        : [
            ...hostSteps,
            {
              step: outcome.outcome,
              at,
              detail: outcome.error ?? outcome.message,
              origin: "page",
            },
          ],
    };
  });
  void queryClient.invalidateQueries({ queryKey: keys.workspaces });
  void queryClient.invalidateQueries({ queryKey: keys.detail(id) });
  void queryClient.invalidateQueries({ queryKey: ["timeline"] });
}

function fail(queryClient: QueryClient, id: string, step: string, error: string): void {
  const via = runOf(id)?.via ?? "cp";
  finish(queryClient, id, {
    workspace_id: id,
    via,
    outcome: "failed",
    stopped_instance_id: null,
    message: null,
    error,
    steps: [],
    lastStep: step,
  });
}

function cleanup(id: string): void {
  const h = handles.get(id);
  if (!h) return;
  if (h.grace) clearTimeout(h.grace);
  if (h.poll) clearInterval(h.poll);
  h.unsubscribe?.();
  handles.delete(id);
}
