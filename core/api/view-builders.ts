import type { RunningStatus } from "../cp/cp-client";
import { OpsError } from "../errors";
import type { RestartHandle } from "../ops/restart";
import { shownStatus } from "../ops/shown-status";
import { isGone, isStale, readSyncState } from "../ops/sync";
import type { RestartRow } from "../store/restart-rows";
import type { TimelineFilter, TimelineRow } from "../store/timeline-query";
import { bindingIsCurrent, type WorkspaceRow } from "../store/workspace-rows";
import type { RequestInput, TimelineFilterInput } from "./schemas";
import type { Session } from "./session";
import type {
  ConsoleView,
  RestartView,
  StatusView,
  TimelineView,
  WorkspaceDetail,
  WorkspaceList,
  WorkspaceView,
} from "./views";

/** Rows older than this are marked stale in the list (the UI's stale marker). */
export const STALE_AFTER_MS = 10 * 60_000;

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined) => (ms == null ? null : iso(ms));

export function workspaceView(row: WorkspaceRow, lastSyncAt: number | null, now: number): WorkspaceView {
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

export function workspaceList(s: Session, filter: RequestInput<"workspaces.list">): WorkspaceList {
  const sync = readSyncState(s.store);
  const now = Date.now();
  const rows = s.store.workspaces.list({
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.runtime ? { runtime: filter.runtime } : {}),
    ...(filter.tier !== undefined ? { tier: filter.tier } : {}),
    ...(filter.text ? { text: filter.text } : {}),
  });
  return {
    rows: rows.map((r) => workspaceView(r, sync.lastSyncAt, now)),
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
    lastRestart: restartView(s.store.restarts.latestFor(id), s.restarts.get(id)),
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

export function restartView(row: RestartRow | null, running: RestartHandle | undefined): RestartView | null {
  if (!row) return null;
  return {
    via: row.via,
    state: row.state,
    step: row.step,
    startedAt: iso(row.startedAt),
    updatedAt: iso(row.updatedAt),
    error: row.error,
    steps: running ? [...running.steps] : [],
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

/** The serial console now (kept as a snapshot for offline review), or the last snapshot when asked. */
export async function consoleView(s: Session, id: string, cached: boolean): Promise<ConsoleView> {
  if (cached) {
    const snap = s.store.latestConsoleSnapshot(id);
    if (!snap) throw new OpsError("NotFound", `no console of ${id} is cached yet`);
    return { output: snap.output, fetchedAt: iso(snap.fetchedAt), instanceId: snap.instanceId, cached: true };
  }
  const output = await s.readConsole(id);
  const at = Date.now();
  const instanceId = s.store.resolveInstanceId(id);
  s.store.recordConsoleSnapshot(id, instanceId, output, at);
  return { output, fetchedAt: iso(at), instanceId, cached: false };
}

export function timelineView(r: TimelineRow): TimelineView {
  return {
    id: r.id,
    ts: isoOrNull(r.ts),
    event: r.event,
    workspaceId: r.workspace_id,
    instanceId: r.instance_id,
    fields: r.fields,
    source: r.source,
  };
}

export function timelineFilterOf(f: TimelineFilterInput): TimelineFilter {
  const ms = (v: string | number | undefined) =>
    v === undefined ? undefined : typeof v === "number" ? v : Date.parse(v);
  const since = ms(f.since);
  const until = ms(f.until);
  return {
    ...(f.workspaceId ? { workspaceId: f.workspaceId } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(f.events?.length ? { events: f.events } : {}),
  };
}
