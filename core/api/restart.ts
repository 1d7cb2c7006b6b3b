import { z } from "zod";
import { restartProgress } from "../ops/restart";
import { via, workspaceId } from "./input-rules";
import { iso } from "./iso-time";
import type { HandlersOf, SubscriptionInput } from "./schemas";
import type { Session } from "./session";
import type { Sessions } from "./sessions";
import type { RestartProgress, RestartView } from "./views";

export const restartRequests = {
  "restart.start": z
    .object({
      id: workspaceId,
      via,
      /** The wait before the first request, in which a cancel sends nothing (the UI asks for one). */
      graceMs: z.number().int().min(0).max(60_000).optional(),
    })
    .strict(),
  "restart.cancel": z.object({ id: workspaceId }).strict(),
  "restart.get": z.object({ id: workspaceId }).strict(),
} as const;

export const restartSubscription = { "restart.progress": z.object({ id: workspaceId }).strict() } as const;

/**
 * Starting (or joining) a workspace's restart, cancelling it while that helps, and its state. Its
 * life (the grace period, what can still be cancelled, every step, the outcome) is core/ops's
 * RestartCoordinator's; `restart.progress` pushes it.
 */
export function restartHandlers(sessions: Sessions): HandlersOf<keyof typeof restartRequests> {
  return {
    "restart.start": async ({ id, via, graceMs }) => {
      const s = await sessions.current();
      const running = s.restarts.get(id);
      const handle = s.restarts.restart({ workspaceId: id, via, graceMs });
      return { workspace_id: id, via, joined: running === handle };
    },
    "restart.cancel": async ({ id }) => {
      const handle = (await sessions.current()).restarts.get(id);
      return { cancelled: handle ? handle.cancel() : false };
    },
    "restart.get": async ({ id }) => restartView(await sessions.current(), id),
  };
}

/** The latest restart of a workspace as the cache has it, with its steps when it runs here. */
export function restartView(s: Session, id: string): RestartView | null {
  const row = s.store.restarts.latestFor(id);
  if (!row) return null;
  const running = s.restarts.get(id);
  return {
    via: row.via,
    state: row.state,
    step: row.step,
    startedAt: iso(row.startedAt),
    updatedAt: iso(row.updatedAt),
    error: row.error,
    steps: running ? [...running.steps] : [],
    cancellable: running?.cancellable ?? false,
  };
}

/**
 * The `restart.progress` subscription: the latest restart of the workspace started in this host,
 * as it stands and after every change until its outcome; one that is already over is replayed
 * (its last state) to a subscriber that comes late. Nothing for a workspace not restarted here.
 */
export async function* restartProgressOf(
  sessions: Sessions,
  { id }: SubscriptionInput<"restart.progress">,
  signal: AbortSignal,
): AsyncGenerator<RestartProgress> {
  const handle = (await sessions.current()).restarts.latest(id);
  if (handle) yield* restartProgress(handle, signal);
}
