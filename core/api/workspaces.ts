import { z } from "zod";
import type { RunningStatus } from "../cp/cp-client";
import { OpsError } from "../errors";
import type { LiveChange } from "../ops/live-status";
import { shownStatus } from "../ops/shown-status";
import { isGone, isStale, readSyncState, syncTenant } from "../ops/sync";
import { bindingIsCurrent, type WorkspaceRow } from "../store/workspace-rows";
import { noInput, shortText, workspaceId } from "./input-rules";
import { iso, isoOrNull } from "./iso-time";
import { restartView } from "./restart";
import type { HandlersOf, RequestInput } from "./schemas";
import type { Session } from "./session";
import type { Sessions } from "./sessions";
import type { StatusView, WorkspaceDetail, WorkspaceList, WorkspaceView } from "./views";
import { workspaceListCache } from "./workspace-list-cache";

/** Rows older than this are marked stale in the list (the UI's stale marker). */
export const STALE_AFTER_MS = 10 * 60_000;

export const workspaceRequests = {
  "workspaces.list": z
    .object({
      text: shortText.optional(),
      status: shortText.optional(),
      runtime: shortText.optional(),
      tier: z.number().int().min(0).max(99).optional(),
    })
    .strict(),
  "workspaces.get": z.object({ id: workspaceId }).strict(),
  "workspaces.status": z.object({ id: workspaceId }).strict(),
  "sync.run": noInput,
  "sweep.run": noInput,
} as const;

export const liveSubscription = { live: noInput } as const;

/** The cached list and one workspace's detail, the CP's word on its instance, a sync, a sweep. */
export function workspaceHandlers(sessions: Sessions): HandlersOf<keyof typeof workspaceRequests> {
  return {
    "workspaces.list": async (input) => workspaceList(await sessions.current(), input),
    "workspaces.get": async ({ id }) => workspaceDetail(await sessions.current(), id),
    "workspaces.status": async ({ id }) => {
      const s = await sessions.current();
      if (!s.cp) throw new OpsError("NoBackend", `the profile ${s.profile.name} has no control plane configured`);
      return statusView(await s.cp.isRunning(id));
    },
    "sync.run": async () => {
      const s = await sessions.current();
      return syncTenant(s.store, s.tenant);
    },
    "sweep.run": async () => {
      const r = await (await sessions.current()).live.sweep();
      return r && { checked: r.checked, uncertain: r.uncertain, notRunning: r.notRunning, ms: Math.round(r.ms) };
    },
  };
}

/** The `live` subscription: the connection's state at once, then every change until `signal` aborts. */
export async function* liveChanges(sessions: Sessions, signal: AbortSignal): AsyncGenerator<LiveChange> {
  const s = await sessions.current();
  const changes: AsyncIterable<LiveChange> = s.live.subscribe(signal);
  yield s.live.connectionState as LiveChange;
  for await (const c of changes) yield c;
}

export function workspaceView(row: Omit<WorkspaceRow, "extra">, lastSyncAt: number | null, now: number): WorkspaceView {
  const shown = shownStatus(row);
  return {
    id: row.id,
    name: row.name,
    status: shown.status,
    tenantStatus: row.status,
    source: shown.source,
    asOf: iso(shown.asOf),
    since: isoOrNull(shown.since),
    detail: shown.detail,
    runtime: row.runtime,
    tier: row.tier,
    instanceId: row.instanceId,
    instanceCurrent: bindingIsCurrent(row),
    lastHeartbeatAt: isoOrNull(row.lastHeartbeatAt),
    stale: isStale(row, now, STALE_AFTER_MS),
    gone: isGone(row, lastSyncAt),
  };
}

/**
 * The list the UI asks for (no filter) comes from the store's list cache, rebuilt only where the
 * cache changed (see WorkspaceListCache); a filtered one from SQLite each time.
 */
export function workspaceList(s: Session, filter: RequestInput<"workspaces.list">): WorkspaceList {
  const sync = readSyncState(s.store);
  const now = Date.now();
  const filtered = filter.status || filter.runtime || filter.tier !== undefined || filter.text;
  // Inside a transaction of this connection the rows may yet be rolled back: never cached.
  const rows =
    filtered || s.store.db.inTransaction
      ? s.store.workspaces
          .list({
            ...(filter.status ? { status: filter.status } : {}),
            ...(filter.runtime ? { runtime: filter.runtime } : {}),
            ...(filter.tier !== undefined ? { tier: filter.tier } : {}),
            ...(filter.text ? { text: filter.text } : {}),
          })
          .map((r) => workspaceView(r, sync.lastSyncAt, now))
      : workspaceListCache(s.store, workspaceView, STALE_AFTER_MS).current(sync.lastSyncAt, now);
  return {
    rows,
    lastSyncAt: isoOrNull(sync.lastSyncAt),
    lastSyncError: sync.lastError?.message ?? null,
    connection: s.live.connectionState,
  };
}

export function workspaceDetail(s: Session, id: string): WorkspaceDetail {
  const row = s.store.workspaces.get(id);
  if (!row) throw new OpsError("NotFound", `workspace ${id} is not in the cache: sync first`);
  const sync = readSyncState(s.store);
  const h = row.health;
  const lastError = row.extra.last_sample_error;
  return {
    workspace: workspaceView(row, sync.lastSyncAt, Date.now()),
    fields: row.extra,
    bindings: s.store.bindings.historyOf(id).map((b) => ({
      instanceId: b.instanceId,
      source: b.source,
      state: b.state,
      boundAt: iso(b.boundAt),
      unboundAt: isoOrNull(b.unboundAt),
    })),
    lastRestart: restartView(s, id),
    crash:
      h?.crashError && h.crashAt != null
        ? {
            instanceId: h.crashInstanceId,
            error: h.crashError,
            tail: h.crashTail ?? "",
            at: iso(h.crashAt),
            reportedAt: isoOrNull(h.crashReportedAt),
          }
        : null,
    lastError: typeof lastError === "string" && lastError !== "" ? lastError : null,
  };
}

export function statusView(r: RunningStatus): StatusView {
  return {
    workspace_id: r.workspaceId,
    instance_id: r.instanceId,
    running: r.running,
    state: r.state,
    error: r.error ? { code: r.error.code, message: r.error.message } : null,
  };
}
