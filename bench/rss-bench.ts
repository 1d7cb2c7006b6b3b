import { join } from "node:path";
import {
  type BenchContext,
  DATA_DIR,
  describeReport,
  eventsMatch,
  parseImportReport,
  REPO_ROOT,
  removeDb,
} from "./bench-context";
import { canMeasureRss, measurePeakRss } from "./peak-rss";
import { lineCount, megabytes, note, result, skipped, type TargetResult } from "./report";

const TARGET_KIB = 150 * 1024;
/** Past this growth from the smaller log to the larger one, memory is tracking the log size. */
const FLAT_RATIO = 1.5;

export async function rssBench(ctx: BenchContext): Promise<TargetResult[]> {
  const { lines, rssLines, quick } = ctx.options;
  if (!canMeasureRss()) {
    return [skipped("rss import-log", "neither GNU time (apt-get install -y time) nor /proc is available")];
  }
  // The import process itself, not npm's launcher around it: that is what must stay bounded.
  const cli = join(REPO_ROOT, "bin", "molecule-ops.mjs");
  const atRest = await measurePeakRss(process.execPath, [cli, "--help"], REPO_ROOT);
  note(`CLI at rest (molecule-ops --help): ${megabytes(atRest.kib)} peak RSS (${atRest.method})`);

  const sizes = quick || rssLines === lines ? [lines] : [lines, rssLines];
  const results: TargetResult[] = [];
  let first: { lines: number; kib: number } | undefined;
  for (const n of sizes) {
    const name = `rss import-log ${lineCount(n)} lines`;
    const log = await ctx.log(n);
    const db = join(DATA_DIR, "rss.db");
    removeDb(db);
    const run = await measurePeakRss(process.execPath, [cli, "import-log", log.path, "--json", "--db", db], REPO_ROOT);
    removeDb(db);
    if (run.code !== 0) {
      results.push(result(name, "ERROR", `${name}: import-log exited ${run.code}: ${run.stderr.trim().slice(-300)}`));
      continue;
    }
    const report = parseImportReport(run.stdout);
    note(`import report (${lineCount(n)}): ${describeReport(report)}`);
    const eventsOk = eventsMatch(report, log.stats);
    if (!eventsOk) note(`WORK CHECK FAILED: imported ${report.events} events, the log holds ${log.stats.records}`);
    const verdict = run.kib < TARGET_KIB && eventsOk ? "PASS" : "FAIL";
    if (!first) {
      first = { lines: n, kib: run.kib };
      results.push(
        result(
          name,
          verdict,
          `${name}: peak ${megabytes(run.kib)} vs CLI at rest ${megabytes(atRest.kib)} → ratio ${(run.kib / atRest.kib).toFixed(2)} (target < ${megabytes(TARGET_KIB)})`,
        ),
      );
    } else {
      const growth = run.kib / first.kib;
      if (growth > FLAT_RATIO) {
        note(`WARNING: peak RSS grew ×${growth.toFixed(2)} from ${lineCount(first.lines)} to ${lineCount(n)} lines`);
      }
      results.push(
        result(
          name,
          verdict,
          `${name}: peak ${megabytes(run.kib)} vs ${lineCount(first.lines)}-line import ${megabytes(first.kib)} → ratio ${growth.toFixed(2)} (target < ${megabytes(TARGET_KIB)}, flat in log size)`,
        ),
      );
    }
  }
  return results;
}
