import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "./bench-context";
import { runBenchSpec } from "./playwright-spec";
import { note, result, type TargetResult } from "./report";

/** Issue 16 item 2: the first render of 10,000 rows at most this many times that of 100 rows. */
const FIRST_ROW_RATIO_TARGET = 1.5;
/** Issue 4's older target: the first render and a full scroll together. */
const RENDER_AND_SCROLL_RATIO_TARGET = 2;
const CONSOLE_SEARCH_TARGET_MS = 100;

/** What e2e/ui-bench.spec.ts writes (the fields used here). */
interface UiBenchResult {
  runs: number;
  firstRenderAndFullScroll: { ms100: number; ms10k: number; ratio: number };
  medianMs: Record<string, number>;
  ratios: { firstRow: number; render: number; scroll: number };
  consoleSearch256KiB: { bytes: number; maxMs: number };
}

/**
 * The UI at 10,000 rows against 100 (e2e/ui-bench.spec.ts, gated by UI_BENCH=1): two hosts in the
 * same run, interleaved, medians of the spec's own runs; then console search on a 256 KiB console.
 */
export async function uiBench(_ctx: BenchContext): Promise<TargetResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "molecule-ops-ui-bench-"));
  let r: UiBenchResult;
  try {
    const out = join(dir, "ui-bench.json");
    r = await runBenchSpec<UiBenchResult>("e2e/ui-bench.spec.ts", out, { UI_BENCH: "1", UI_BENCH_OUT: out });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const m = r.medianMs;
  note(`ui: medians of ${r.runs} interleaved runs, 10,000 rows against 100 (production build)`);
  const firstRow = r.ratios.firstRow;
  const both = r.firstRenderAndFullScroll;
  const search = r.consoleSearch256KiB;
  return [
    result(
      "ui first render 10k vs 100",
      firstRow <= FIRST_ROW_RATIO_TARGET ? "PASS" : "FAIL",
      `ui: first row painted, 10,000 rows ${Math.round(m.firstRow10k ?? 0)} ms vs 100 rows ${Math.round(m.firstRow100 ?? 0)} ms → ratio ${firstRow.toFixed(2)} (target ≤ ${FIRST_ROW_RATIO_TARGET})`,
    ),
    result(
      "ui first render and full scroll 10k vs 100",
      both.ratio <= RENDER_AND_SCROLL_RATIO_TARGET ? "PASS" : "FAIL",
      `ui: first render + a full scroll in 60 jumps, 10,000 rows ${Math.round(both.ms10k)} ms vs 100 rows ${Math.round(both.ms100)} ms → ratio ${both.ratio.toFixed(2)} (target ≤ ${RENDER_AND_SCROLL_RATIO_TARGET})`,
    ),
    result(
      "ui console search",
      search.maxMs < CONSOLE_SEARCH_TARGET_MS ? "PASS" : "FAIL",
      `ui: console search on ${Math.round(search.bytes / 1024)} KiB, slowest query ${search.maxMs.toFixed(1)} ms (target < ${CONSOLE_SEARCH_TARGET_MS} ms)`,
    ),
  ];
}
