import type { Store } from "../store/store";
import { type ListedRow, WorkspaceListSource } from "../store/workspace-list-source";
import type { WorkspaceView } from "./views";

/**
 * The unfiltered workspace list's views, kept between requests (issue 16, item 2: at 10,000
 * workspaces, rebuilding every view from SQLite took 80-140 ms a request). Each request asks the
 * store what changed since the previous one (WorkspaceListSource: triggers on this connection,
 * data_version for any other) and makes the views of those rows again. All of them are read again
 * when another connection wrote, when more than a quarter of the rows changed (a sync touches them
 * all), when a row was added, removed or renamed (the order may change), and when the marks that
 * depend on the last sync and the time (gone, stale) may have changed: a new sync, the first row
 * crossing the stale threshold, a clock set back. Only the views are kept, frozen: every request
 * shares them.
 */
export class WorkspaceListCache {
  private readonly source: WorkspaceListSource;
  /** In the list's order. */
  private views: WorkspaceView[] = [];
  /** Index in `views` of each workspace. */
  private position = new Map<string, number>();
  private built = false;
  /**
   * What the views were made for: the last sync, the latest time one was made at, and when the
   * first of those not stale turns stale (isStale: once now - asOf > staleAfterMs).
   */
  private lastSyncAt: number | null = null;
  private madeAt = 0;
  private turnsStaleAt = Number.POSITIVE_INFINITY;

  constructor(
    store: Store,
    private readonly view: (row: ListedRow, lastSyncAt: number | null, now: number) => WorkspaceView,
    private readonly staleAfterMs: number,
  ) {
    this.source = new WorkspaceListSource(store.db, store.workspaces);
  }

  /** The list in its order, as of now; a new array each call, of shared frozen views. */
  current(lastSyncAt: number | null, now: number): WorkspaceView[] {
    // Beyond a quarter of the rows, one read of them all is cheaper than looking each up.
    const changes = this.source.changes(Math.floor(this.views.length / 4));
    const marksHold = this.built && lastSyncAt === this.lastSyncAt && now >= this.madeAt && now <= this.turnsStaleAt;
    if (changes.all || !marksHold || !this.patch(changes.ids, now)) this.rebuild(lastSyncAt, now);
    return this.views.slice();
  }

  /** Makes the views of these rows again in place; false when the order may have changed. */
  private patch(ids: readonly string[], now: number): boolean {
    if (ids.length === 0) return true;
    const rows = this.source.some(ids);
    // Added, renamed or removed. A binding or health row of a workspace not in the list (an
    // imported log names many) changes nothing.
    const found = new Set(rows.map((r) => r.id));
    const at = (id: string) => {
      const i = this.position.get(id);
      return i === undefined ? undefined : this.views[i];
    };
    if (rows.some((r) => at(r.id)?.name !== r.name) || ids.some((id) => !found.has(id) && this.position.has(id))) {
      return false;
    }
    this.madeAt = now;
    for (const r of rows) this.views[this.position.get(r.id) as number] = this.makeView(r, now);
    return true;
  }

  private rebuild(lastSyncAt: number | null, now: number): void {
    this.lastSyncAt = lastSyncAt;
    this.madeAt = now;
    this.turnsStaleAt = Number.POSITIVE_INFINITY;
    const views = this.source.all().map((r) => this.makeView(r, now));
    const position = new Map<string, number>();
    for (let i = 0; i < views.length; i++) position.set((views[i] as WorkspaceView).id, i);
    this.views = views;
    this.position = position;
    this.built = true;
  }

  /** A row's view as of `now`, noting when it turns stale. */
  private makeView(r: ListedRow, now: number): WorkspaceView {
    const v = Object.freeze(this.view(r, this.lastSyncAt, now));
    if (!v.stale) this.turnsStaleAt = Math.min(this.turnsStaleAt, r.asOf + this.staleAfterMs);
    return v;
  }
}

const caches = new WeakMap<Store, WorkspaceListCache>();

/** The cache of this store's list (one per open cache file connection). */
export function workspaceListCache(
  store: Store,
  view: (row: ListedRow, lastSyncAt: number | null, now: number) => WorkspaceView,
  staleAfterMs: number,
): WorkspaceListCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new WorkspaceListCache(store, view, staleAfterMs);
    caches.set(store, cache);
  }
  return cache;
}
