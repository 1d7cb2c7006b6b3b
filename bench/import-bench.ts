import {
  type BenchContext,
  describeReport,
  eventsMatch,
  hasTool,
  type ImportReport,
  INSTALL_HINT,
  parseImportReport,
  REPO_ROOT,
  removeDb,
} from "./bench-context";
import { best, describeFailure, interleave, runShellTimed, shellQuote } from "./measure";
import { lineCount, note, ratio, result, seconds, skipped, type TargetResult } from "./report";

const TARGET_RATIO = 0.5;

/**
 * The pipeline support staff use today to turn a platform log into per-record JSON. Two
 * deviations from the wiki's version, both so the baseline does the same work as the subject:
 * `grep -a` (the NUL runs logrotate leaves would make grep call the file binary and print
 * nothing), and 'evt: ' without the leading space (records logged without a stamp start the
 * line). `fromjson?` lets jq skip the damaged lines instead of aborting half-way.
 */
export function baselinePipeline(logPath: string): string {
  const sed = String.raw`s/^(([0-9]{4}\/[0-9]{2}\/[0-9]{2} [0-9:.]+) )?evt: ([^ ]+) (.*)$/{"ts":"\2","event":"\3","fields":\4}/`;
  const jq = "fromjson? | {ts, event, workspace_id: .fields.workspace_id, instance_id: .fields.instance_id, fields}";
  // wc -l instead of > /dev/null: costs nothing next to jq and proves the records came out.
  return `grep -aF 'evt: ' ${shellQuote(logPath)} | sed -E ${shellQuote(sed)} | jq -c -R ${shellQuote(jq)} | wc -l`;
}

export async function importBench(ctx: BenchContext): Promise<TargetResult[]> {
  const { lines, runs } = ctx.options;
  const name = `import-log ${lineCount(lines)} lines`;
  const missing = ["grep", "sed", "jq"].filter((t) => !hasTool(t));
  if (missing.length > 0) return [skipped(name, `baseline needs ${missing.join(", ")}: ${INSTALL_HINT}`)];

  const log = await ctx.log(lines);
  const db = ctx.importedDbPath(log);
  let report: ImportReport | undefined;
  let baselineRecords = 0;
  const times = await interleave(
    runs,
    async () => {
      const run = await runShellTimed(baselinePipeline(log.path), REPO_ROOT);
      if (run.code !== 0) throw new Error(describeFailure("baseline grep | sed | jq", run));
      baselineRecords = Number.parseInt(run.stdout.trim(), 10);
      return run.seconds;
    },
    async () => {
      removeDb(db); // a fresh DB each run: re-importing into a full one measures dedup, not import
      const run = await ctx.runCli(["import-log", log.path, "--json", "--db", db]);
      if (run.code !== 0) throw new Error(describeFailure("molecule-ops import-log", run));
      report = parseImportReport(run.stdout);
      return run.seconds;
    },
  );
  if (!report) throw new Error("import-log never ran");
  ctx.markImported(db, report);

  const s = log.stats;
  note(`import report: ${describeReport(report)}`);
  note(
    `generated: lines=${s.lines}, records=${s.records} (truncated ${s.truncatedRecords}, no stamp ${s.unstampedRecords}, CRLF ${s.crlfRecords}, NUL-prefixed lines ${s.nulPrefixedLines}, _marshal_err ${s.marshalErrorRecords}), workspaces=${s.workspaces}`,
  );
  note(`baseline emitted ${baselineRecords} JSON records (it loses the NUL-prefixed ones)`);
  note(
    `all runs: subject ${times.subject.map(seconds).join(", ")}; baseline ${times.baseline.map(seconds).join(", ")}`,
  );
  const eventsOk = eventsMatch(report, s);
  if (!eventsOk) note(`WORK CHECK FAILED: imported ${report.events} events, the log holds ${s.records} records`);
  if (Math.abs(baselineRecords - s.records) > s.nulPrefixedLines + 5) {
    note(`note: baseline record count ${baselineRecords} is far from ${s.records}: check the pipeline`);
  }

  const subject = best(times.subject);
  const baseline = best(times.baseline);
  const r = subject / baseline;
  return [
    result(
      name,
      r <= TARGET_RATIO && eventsOk ? "PASS" : "FAIL",
      `${name}: ${seconds(subject)} vs baseline ${seconds(baseline)} → ratio ${ratio(subject, baseline)} (target ≤ ${TARGET_RATIO.toFixed(2)})${eventsOk ? "" : " [event count wrong]"}`,
    ),
  ];
}
