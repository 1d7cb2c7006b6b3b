import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { workspaceList } from "../core/api/workspaces";
import { exportTimeline } from "../core/provlog/timeline-export";
import { Store } from "../core/store/store";
import type { TenantWorkspace } from "../core/tenant/tenant-records";
import { RUNTIMES, WORKSPACE_STATUSES } from "../core/tenant/vocabulary";
import { type BenchContext, DATA_DIR, removeDb } from "./bench-context";
import { percentile } from "./measure";
import { lineCount, megabytes, millis, note, result, type TargetResult } from "./report";
import { SeededRandom } from "./seeded-random";

const WORKSPACES = 10_000;
const LIST_P95_SECONDS = 0.1;
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
    const full = time(() => workspaceList(session, {}), 15);
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
      `load: list of ${WORKSPACES} workspaces (shown status, stale and gone marks): median ${millis(percentile(full, 50))}, p95 ${millis(p(full))} (target p95 < ${millis(LIST_P95_SECONDS)})`,
    );
    check(
      "load: filtered list",
      p(filtered) < LIST_P95_SECONDS,
      `load: filtered list (text + status): p95 ${millis(p(filtered))} (target < ${millis(LIST_P95_SECONDS)})`,
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
