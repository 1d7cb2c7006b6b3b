import { closeSync, openSync, readSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type BenchContext, DATA_DIR, hasTool, INSTALL_HINT, REPO_ROOT } from "./bench-context";
import { best, describeFailure, interleave, runShellTimed, shellQuote } from "./measure";
import { lineCount, note, ratio, result, seconds, skipped, type TargetResult } from "./report";

const TARGET_RATIO = 1.5;

/** What a person would type to get the same CSV straight out of the cache. */
function baselineExport(dbPath: string, outPath: string): string {
  const sql = "SELECT ts, event, workspace_id, instance_id, source, fields FROM events ORDER BY ts, id";
  return `sqlite3 -csv -header ${shellQuote(dbPath)} ${shellQuote(sql)} > ${shellQuote(outPath)}`;
}

/** Newline count, read in chunks: the exports are tens of MB. */
function countLines(path: string): number {
  const fd = openSync(path, "r");
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      for (let i = buf.indexOf(10); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) lines++;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

export async function exportBench(ctx: BenchContext): Promise<TargetResult[]> {
  const { lines, runs } = ctx.options;
  const name = `export timeline csv ${lineCount(lines)}-line import`;
  if (!hasTool("sqlite3")) return [skipped(name, `baseline needs the sqlite3 shell: ${INSTALL_HINT}`)];

  const log = await ctx.log(lines);
  const db = await ctx.importedDb(log);
  const subjectOut = join(DATA_DIR, "export-subject.csv");
  const baselineOut = join(DATA_DIR, "export-baseline.csv");
  const times = await interleave(
    runs,
    async () => {
      rmSync(baselineOut, { force: true });
      const run = await runShellTimed(baselineExport(db, baselineOut), REPO_ROOT);
      if (run.code !== 0) throw new Error(describeFailure("baseline sqlite3 -csv", run));
      return run.seconds;
    },
    async () => {
      rmSync(subjectOut, { force: true });
      const run = await ctx.runCli(["timeline", "--format", "csv", "--out", subjectOut, "--db", db]);
      if (run.code !== 0) throw new Error(describeFailure("molecule-ops timeline --format csv", run));
      return run.seconds;
    },
  );

  // Same rows: the generated data has no newline inside a field, so lines are rows (+ header).
  const subjectLines = countLines(subjectOut);
  const baselineLines = countLines(baselineOut);
  const rowsOk = Math.abs(subjectLines - baselineLines) <= 1;
  note(`rows: subject ${subjectLines} lines, baseline ${baselineLines} lines (each with a header line)`);
  note(
    `all runs: subject ${times.subject.map(seconds).join(", ")}; baseline ${times.baseline.map(seconds).join(", ")}`,
  );
  if (!rowsOk) note("ROW CHECK FAILED: the two exports do not hold the same number of rows");

  const subject = best(times.subject);
  const baseline = best(times.baseline);
  return [
    result(
      name,
      subject / baseline <= TARGET_RATIO && rowsOk ? "PASS" : "FAIL",
      `${name}: ${seconds(subject)} vs baseline ${seconds(baseline)} → ratio ${ratio(subject, baseline)} (target ≤ ${TARGET_RATIO.toFixed(2)})${rowsOk ? "" : " [row count differs]"}`,
    ),
  ];
}
