import type { SyncReport } from "../api/views";
import { OpsError } from "../errors";
import { describeSqliteError } from "../store/open-store";
import type { Store } from "../store/store";
import type { WorkspaceRow } from "../store/workspace-rows";
import type { TenantClient } from "../tenant/tenant-client";
import { isRecord, type TenantEvent, type TenantWorkspace } from "../tenant/tenant-records";
import { recordListedEvent } from "./tenant-event-record";

/** The API's own view types (core/api/views.ts), which these values are. */
export type { SyncReport };

/** What a sync needs from the tenant platform (a TenantClient, or anything answering the same). */
export type TenantSource = Pick<TenantClient, "listWorkspaces" | "listEvents">;

export interface SyncOptions {
  now?: () => Date;
  signal?: AbortSignal;
}

export interface SyncState {
  /** ms since epoch of the last sync that committed, or null. */
  lastSyncAt: number | null;
  /** The error of the last sync attempt, when it failed (or its events did). */
  lastError: SyncError | null;
}

export interface SyncError {
  at: string;
  code: string;
  message: string;
  /** true: the workspaces were committed, the events were not. */
  partial: boolean;
}

const LAST_SYNC_AT = "last_sync_at";
const LAST_SYNC_ERROR = "last_sync_error";

/**
 * Pulls the tenant's workspaces and latest events into the cache (docs/contracts.md §1: the last known state
 * stays readable offline, with as-of times). Both answers are fetched first, then every write of
 * the sync lands in ONE transaction: a kill -9 mid-sync leaves the previous state or the new one,
 * never half of a tenant. A sync that fails records its error and time and changes nothing else.
 */
export async function syncTenant(store: Store, tenant: TenantSource, options: SyncOptions = {}): Promise<SyncReport> {
  const now = options.now ?? (() => new Date());
  let requestedAt = 0;
  const signal = options.signal;
  let listed: Awaited<ReturnType<TenantSource["listWorkspaces"]>>;
  let events: Awaited<ReturnType<TenantSource["listEvents"]>> | null = null;
  let eventsError: OpsError | null = null;
  try {
    // The list is true as of when it was asked for: a status event pushed while the answer was
    // on its way is newer than it, and must not be overridden by it (see setStatusFromEvent).
    requestedAt = now().getTime();
    listed = await tenant.listWorkspaces({ signal });
    try {
      events = await tenant.listEvents({ signal });
    } catch (error) {
      // The user's cancel stops the whole sync; any other events failure only loses the events.
      if (signal?.aborted || (error instanceof OpsError && error.code === "Cancelled")) throw error;
      eventsError = asOpsError(error);
    }
    if (signal?.aborted) throw new OpsError("Cancelled", "cancelled");
  } catch (error) {
    throw recordFailure(store, asOpsError(error), now());
  }

  const previous = readSyncState(store).lastSyncAt;
  let at = requestedAt;
  // The gone test is "last_seen_at differs from the last sync's stamp": two syncs must never
  // share one, even within a millisecond.
  if (at === previous) at += 1;
  const { workspaces, duplicates } = distinct(listed.workspaces);
  try {
    return store.db
      .transaction((): SyncReport => {
        const counts = store.workspaces.upsertMany(workspaces, at);
        const eventsAdded = events ? recordEvents(store, events.events) : 0;
        if (events) markRemoved(store, events.events, workspaces);
        writeMeta(store, LAST_SYNC_AT, new Date(at).toISOString());
        if (eventsError) writeMeta(store, LAST_SYNC_ERROR, JSON.stringify(errorRecord(eventsError, at, true)));
        else deleteMeta(store, LAST_SYNC_ERROR);
        return {
          workspaces: workspaces.length,
          added: counts.added,
          updated: counts.updated,
          unchanged: counts.unchanged,
          gone: store.workspaces.count() - workspaces.length,
          skipped: listed.skipped + duplicates,
          without_instance: store.bindings.countUnbound(workspaces.map((w) => w.id)),
          events_added: eventsAdded,
          events_skipped: events?.skipped ?? 0,
          events_error: eventsError?.message ?? null,
          as_of: new Date(at).toISOString(),
        };
      })
      .immediate();
  } catch (cause) {
    const error =
      cause instanceof OpsError
        ? cause
        : new OpsError("Store", `cannot save the sync in ${store.path}: ${describeSqliteError(cause)}`, { cause });
    throw recordFailure(store, error, now());
  }
}

/** The last committed sync and the last error, from the cache's meta table. */
export function readSyncState(store: Store): SyncState {
  const rows = store.db
    .prepare<[string, string], { key: string; value: string }>("SELECT key, value FROM meta WHERE key IN (?, ?)")
    .all(LAST_SYNC_AT, LAST_SYNC_ERROR);
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const at = Date.parse(value(LAST_SYNC_AT) ?? "");
  return { lastSyncAt: Number.isFinite(at) ? at : null, lastError: parseSyncError(value(LAST_SYNC_ERROR)) };
}

/**
 * Gone: the last sync did not list it. Every listed row carries exactly that sync's stamp, so
 * any other last_seen_at (older, or none) means the tenant no longer lists it.
 */
export function isGone(row: Pick<WorkspaceRow, "lastSeenAt">, lastSyncAt: number | null): boolean {
  return lastSyncAt !== null && row.lastSeenAt !== lastSyncAt;
}

/** Stale: the data is older than the caller accepts (the UI's stale banner, `workspaces --stale-after`). */
export function isStale(row: Pick<WorkspaceRow, "asOf">, now: number, staleAfterMs: number): boolean {
  return now - row.asOf > staleAfterMs;
}

/** A repeated id is skipped (the first one wins) rather than written twice in one sync. */
function distinct(list: readonly TenantWorkspace[]): { workspaces: TenantWorkspace[]; duplicates: number } {
  const seen = new Set<string>();
  const workspaces: TenantWorkspace[] = [];
  for (const ws of list) {
    if (seen.has(ws.id)) continue;
    seen.add(ws.id);
    workspaces.push(ws);
  }
  return { workspaces, duplicates: list.length - workspaces.length };
}

/**
 * Re-syncing the same latest 100 adds nothing, and an event the /ws feed already pushed pairs
 * with its row (see recordListedEvent). Oldest first (the tenant lists newest first), so that
 * identical events a few seconds apart each pair with their own pushed twin.
 */
function recordEvents(store: Store, events: readonly TenantEvent[]): number {
  let added = 0;
  for (let i = events.length - 1; i >= 0; i--) if (recordListedEvent(store, events[i] as TenantEvent)) added++;
  return added;
}

/**
 * The tenant stops listing a removed workspace (handlers/workspace.go: WHERE status != 'removed'),
 * so the list alone only says it is gone; its WORKSPACE_REMOVED event says why. Applied like a
 * pushed event: only when newer than what the cache last heard.
 */
function markRemoved(store: Store, events: readonly TenantEvent[], listed: readonly TenantWorkspace[]): void {
  const ids = new Set(listed.map((w) => w.id));
  for (const e of events) {
    if (e.eventType !== "WORKSPACE_REMOVED" || e.workspaceId === null || ids.has(e.workspaceId)) continue;
    const at = e.createdAt === null ? Number.NaN : Date.parse(e.createdAt);
    if (Number.isFinite(at)) store.workspaces.setStatusFromEvent(e.workspaceId, "removed", at);
  }
}

/** Best effort: a cache that cannot even record the failure must not hide the failure itself. */
function recordFailure(store: Store, error: OpsError, at: Date): OpsError {
  try {
    writeMeta(store, LAST_SYNC_ERROR, JSON.stringify(errorRecord(error, at.getTime(), false)));
  } catch {
    // The original error is what the caller needs to see.
  }
  return error;
}

function errorRecord(error: OpsError, at: number, partial: boolean): SyncError {
  return { at: new Date(at).toISOString(), code: error.code, message: error.message, partial };
}

function parseSyncError(text: string | undefined): SyncError | null {
  if (text === undefined) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (isRecord(v) && typeof v.at === "string" && typeof v.message === "string") {
      return {
        at: v.at,
        code: typeof v.code === "string" ? v.code : "",
        message: v.message,
        partial: v.partial === true,
      };
    }
  } catch {
    // Fall through: an unreadable record is reported as such rather than breaking the list.
  }
  return { at: "", code: "", message: "unreadable last_sync_error record", partial: false };
}

function writeMeta(store: Store, key: string, value: string): void {
  store.db
    .prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .run(key, value);
}

function deleteMeta(store: Store, key: string): void {
  store.db.prepare("DELETE FROM meta WHERE key = ?").run(key);
}

/** Only OpsError messages are safe to keep; anything else is a bug, recorded without its details. */
function asOpsError(error: unknown): OpsError {
  if (error instanceof OpsError) return error;
  return new OpsError("Transport", `internal error (${error instanceof Error ? error.name : typeof error})`, {
    cause: error,
  });
}
