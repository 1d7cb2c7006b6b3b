import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { workspaceList, workspaceView } from "../core/api/workspaces";
import { readSyncState } from "../core/ops/sync";
import { exportTimeline } from "../core/provlog/timeline-export";
import { Store } from "../core/store/store";
import type { TenantWorkspace } from "../core/tenant/tenant-records";
import { RUNTIMES, WORKSPACE_STATUSES } from "../core/tenant/vocabulary";
import { type BenchContext, DATA_DIR, removeDb } from "./bench-context";
import { percentile } from "./measure";
import { lineCount, megabytes, millis, note, result, type TargetResult } from "./report";
import { SeededRandom } from "./seeded-random";

const WORKSPACES = 10_000;
/** Issue 16 item 2: the 10k list (it was 0.1 s, and took 82 ms median, 143 ms p95). */
const LIST_P95_SECONDS = 0.05;
const FILTERED_P95_SECONDS = 0.1;
/** A tenant's agents heartbeat every 30 s: at 10,000 of them, the live engine flushes 333 a second. */
const HEARTBEATS_A_SECOND = Math.round(WORKSPACES / 30);
const TIMELINE_P95_SECONDS = 0.02;
const EXPORT_GROWTH_KIB = 64 * 1024;

/**
 * Issue "Reliability" item 5: the cache loaded with 10,000 workspaces and the events of a
 * 3,000,000-line log (about a million), then what the UI and the CLI do with it: the full list
 * and a filtered list (as the workspace table asks), one workspace's timeline, and a whole CSV
 * export — within the earlier issues' budgets, with memory that does not follow the data size.
 */
export async function loadBench(ctx: BenchContext): Promise<TargetResult[]> {
  const lines = ctx.options.quick ? ctx.options.lines : ctx.options.rssLines;
  const log = await ctx.log(lines);
  const imported = await ctx.importedDb(log);
  const db = join(DATA_DIR, "load.db");
  removeDb(db);
  copyFileSync(imported, db);
  const store = Store.open(db);
  const rng = new SeededRandom(ctx.options.seed);
  try {
    const eventIds = store.db
      .prepare("SELECT DISTINCT workspace_id FROM events WHERE workspace_id IS NOT NULL")
      .pluck()
      .all() as string[];
    // The log's workspaces plus synthetic ones up to 10,000, as a sync would write them.
    const rows: TenantWorkspace[] = [];
    for (let i = 0; i < WORKSPACES; i++) {
      const id = eventIds[i] ?? `ws-load-${i.toString().padStart(5, "0")}`;
      const runtime = RUNTIMES[i % RUNTIMES.length] as string;
      const status = WORKSPACE_STATUSES[i % WORKSPACE_STATUSES.length] as string;
      const fields = { id, name: `load-${i}`, status, runtime, tier: 1 + (i % 4), parent_id: null, role: "assistant" };
      rows.push({
        id,
        name: fields.name,
        status,
        runtime,
        tier: fields.tier,
        parentId: null,
        fields,
      });
    }
    store.workspaces.upsertMany(rows, Date.now());
    const events = store.db.prepare("SELECT count(*) FROM events").pluck().get() as number;
    note(`load: ${WORKSPACES} workspaces, ${events} events (${lineCount(lines)}-line log)`);

    const session = { store, live: { connectionState: null } } as unknown as Parameters<typeof workspaceList>[0];
    const time = (fn: () => unknown, n: number) =>
      Array.from({ length: n }, () => {
        const t = performance.now();
        fn();
        return (performance.now() - t) / 1000;
      });
    // The list as a host serves it (a cache kept between requests, see core/api/workspace-list-cache):
    // the first list builds it whole, as does the first after a sync (every row's as-of moves);
    // between syncs a request rebuilds only what changed, at 10,000 agents a second of heartbeats.
    // 40 samples, not 15: of 15, the p95 is the slowest, one preemption on these shared machines.
    const cold = time(() => workspaceList(session, {}), 1);
    const unchanged = time(() => workspaceList(session, {}), 40);
    const full: number[] = [];
    const afterSync: number[] = [];
    for (let i = 0; i < 40; i++) {
      const at = Date.now();
      const beats = Array.from({ length: HEARTBEATS_A_SECOND }, (_, k) => ({
        workspaceId: (rows[(i * HEARTBEATS_A_SECOND + k) % WORKSPACES] as TenantWorkspace).id,
        at: at + i,
        activeTasks: k % 3,
        uptimeSeconds: 30 * i,
      }));
      store.workspaces.recordHeartbeats(beats);
      full.push(...time(() => workspaceList(session, {}), 1));
      if (i % 4 === 3) {
        store.workspaces.upsertMany(rows, Date.now());
        afterSync.push(...time(() => workspaceList(session, {}), 1));
      }
    }
    // The baseline: the list as it was built before the cache, every view from SQLite each time.
    // Its own loop: interleaved, its garbage was collected inside the subject's figures.
    const uncached = () => {
      const lastSyncAt = readSyncState(store).lastSyncAt;
      const now = Date.now();
      return store.workspaces.list().map((r) => workspaceView(r, lastSyncAt, now));
    };
    const rebuiltEachTime = time(uncached, 15);
    const rebuilt = [...cold, ...afterSync];
    const json = JSON.stringify({ ok: true, result: workspaceList(session, {}) });
    const stringify = time(() => JSON.stringify({ ok: true, result: workspaceList(session, {}) }), 5);
    note(
      `load: list answer ${(json.length / 1e6).toFixed(1)} MB of JSON, JSON.stringify by the host p50 ${millis(percentile(stringify, 50))} (not in the list figures)`,
    );
    const filtered = time(() => workspaceList(session, { text: "load-12", status: "online" }), 15);
    const sample = rng.sample(eventIds, 100);
    const timelines = sample.map((workspaceId) => Math.min(...time(() => [...store.timeline({ workspaceId })], 3)));

    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    let bytes = 0;
    const t = performance.now();
    const exported = await exportTimeline(store.db, {}, "csv", (chunk) => {
      bytes += chunk.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    });
    const exportSeconds = (performance.now() - t) / 1000;
    note(`export: ${exported} rows, ${(bytes / 1e6).toFixed(0)} MB in ${exportSeconds.toFixed(2)} s`);

    const results: TargetResult[] = [];
    const check = (name: string, ok: boolean, text: string) => results.push(result(name, ok ? "PASS" : "FAIL", text));
    const p = (xs: number[]) => percentile(xs, 95);
    check(
      "load: list 10k workspaces",
      p(full) < LIST_P95_SECONDS,
      `load: list of ${WORKSPACES} workspaces (shown status, stale and gone marks), each after a second of heartbeats (${HEARTBEATS_A_SECOND} rows): median ${millis(percentile(full, 50))}, p95 ${millis(p(full))} (target p95 < ${millis(LIST_P95_SECONDS)})`,
    );
    note(
      `load: baseline, every view rebuilt from SQLite for each list (as before the cache): median ${millis(percentile(rebuiltEachTime, 50))}, p95 ${millis(p(rebuiltEachTime))}; list p95 ${(p(full) / p(rebuiltEachTime)).toFixed(2)}x of it`,
    );
    check(
      "load: list 10k rebuilt whole",
      p(rebuilt) < LIST_P95_SECONDS,
      `load: list of ${WORKSPACES} workspaces rebuilt whole (the first list, the first after a sync of all of them): median ${millis(percentile(rebuilt, 50))}, p95 ${millis(p(rebuilt))} of ${rebuilt.length} (target p95 < ${millis(LIST_P95_SECONDS)})`,
    );
    check(
      "load: list 10k unchanged",
      p(unchanged) < LIST_P95_SECONDS,
      `load: list of ${WORKSPACES} workspaces, nothing changed since the last: p95 ${millis(p(unchanged))} (target p95 < ${millis(LIST_P95_SECONDS)})`,
    );
    check(
      "load: filtered list",
      p(filtered) < FILTERED_P95_SECONDS,
      `load: filtered list (text + status): p95 ${millis(p(filtered))} (target < ${millis(FILTERED_P95_SECONDS)})`,
    );
    check(
      "load: workspace timeline",
      p(timelines) < TIMELINE_P95_SECONDS,
      `load: one workspace's timeline among ${events} events: p95 ${millis(p(timelines))} (target < ${millis(TIMELINE_P95_SECONDS)})`,
    );
    // Growth, not the process's size: this process also holds the bench's own data.
    check(
      "load: export memory",
      peak - rssBefore < EXPORT_GROWTH_KIB * 1024,
      `load: CSV export of ${exported} events (${(bytes / 1e6).toFixed(0)} MB): RSS grew ${megabytes((peak - rssBefore) / 1024)} (target < ${megabytes(EXPORT_GROWTH_KIB)}: it streams)`,
    );
    return results;
  } finally {
    store.close();
    removeDb(db);
  }
}
