import { closeSync, openSync, readFileSync, readSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { type BenchContext, DATA_DIR, hasTool, INSTALL_HINT, REPO_ROOT } from "./bench-context";
import { anchorCsvCommand, plainCsvCommand } from "./csv-anchor";
import { best, describeFailure, interleave, runShellTimed } from "./measure";
import { lineCount, note, ratio, result, seconds, skipped, type TargetResult } from "./report";

const TARGET_RATIO = 1.5;

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

/** Whether two files hold the same bytes, compared in 1 MiB pieces (the exports are tens of MB). */
function sameBytes(a: string, b: string): boolean {
  if (statSync(a).size !== statSync(b).size) return false;
  const fa = openSync(a, "r");
  const fb = openSync(b, "r");
  const ba = Buffer.allocUnsafe(1 << 20);
  const bb = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const na = readSync(fa, ba);
      const nb = readSync(fb, bb);
      if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
      if (na === 0) return true;
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}

/**
 * `timeline --format csv --out F` against the fair anchor: the sqlite3 shell doing the same
 * work from the same cache (bench/csv-anchor.ts: one SELECT with the ISO times, the formula
 * neutralisation, RFC 4180 quoting, time order, to a file), whose output must be byte for byte
 * ours. The shell's plain `-csv` dump of the rows is timed too, as information only: it formats
 * nothing, so it is no target.
 */
export async function exportBench(ctx: BenchContext): Promise<TargetResult[]> {
  const { lines, runs } = ctx.options;
  const name = `export timeline csv ${lineCount(lines)}-line import`;
  if (!hasTool("sqlite3")) {
    return [skipped(name, `no ratio: the anchor is the sqlite3 shell, which is not installed; ${INSTALL_HINT}`)];
  }

  const log = await ctx.log(lines);
  const db = await ctx.importedDb(log);
  const subjectOut = join(DATA_DIR, "export-subject.csv");
  const anchorOut = join(DATA_DIR, "export-anchor.csv");
  const plainOut = join(DATA_DIR, "export-plain.csv");
  const plain: number[] = [];
  const times = await interleave(
    runs,
    async () => {
      rmSync(anchorOut, { force: true });
      const run = await runShellTimed(anchorCsvCommand(db, anchorOut), REPO_ROOT);
      if (run.code !== 0) throw new Error(describeFailure("anchor sqlite3 SELECT", run));
      rmSync(plainOut, { force: true });
      const info = await runShellTimed(plainCsvCommand(db, plainOut), REPO_ROOT);
      if (info.code !== 0) throw new Error(describeFailure("sqlite3 -csv", info));
      plain.push(info.seconds);
      return run.seconds;
    },
    async () => {
      rmSync(subjectOut, { force: true });
      const run = await ctx.runCli(["timeline", "--format", "csv", "--out", subjectOut, "--db", db]);
      if (run.code !== 0) throw new Error(describeFailure("molecule-ops timeline --format csv", run));
      return run.seconds;
    },
  );

  const subjectLines = countLines(subjectOut);
  const identical = sameBytes(subjectOut, anchorOut);
  note(
    `output: ${subjectLines} lines (a header and the rows), ${(statSync(subjectOut).size / 1e6).toFixed(1)} MB, ${identical ? "byte for byte the anchor's" : "DIFFERS FROM THE ANCHOR'S"}`,
  );
  if (!identical) note(`first difference near: ${firstDifference(subjectOut, anchorOut)}`);
  note(
    `all runs: subject ${times.subject.map(seconds).join(", ")}; anchor ${times.baseline.map(seconds).join(", ")}; plain sqlite3 -csv ${plain.map(seconds).join(", ")}`,
  );

  // The provlog form of the same rows, as information: no target, no anchor.
  const provlogOut = join(DATA_DIR, "export-subject.log");
  const provlog: number[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(provlogOut, { force: true });
    const run = await ctx.runCli(["timeline", "--format", "provlog", "--out", provlogOut, "--db", db]);
    if (run.code !== 0) throw new Error(describeFailure("molecule-ops timeline --format provlog", run));
    provlog.push(run.seconds);
  }
  note(
    `information: timeline --format provlog of the same rows ${seconds(best(provlog))} (${countLines(provlogOut)} lines, ${(statSync(provlogOut).size / 1e6).toFixed(1)} MB)`,
  );

  const subject = best(times.subject);
  const anchor = best(times.baseline);
  note(
    `information: plain \`sqlite3 -csv\` of the same rows (no ISO times, no neutralisation, its own quoting) ${seconds(best(plain))}, ratio ${ratio(subject, best(plain))}`,
  );
  return [
    result(
      name,
      subject / anchor <= TARGET_RATIO && identical ? "PASS" : "FAIL",
      `${name}: ${seconds(subject)} vs anchor (sqlite3 shell, same SELECT work) ${seconds(anchor)} → ratio ${ratio(subject, anchor)} (target ≤ ${TARGET_RATIO.toFixed(2)})${identical ? "" : " [output differs from the anchor's]"}`,
    ),
  ];
}

/** A short excerpt of where two text files first differ, for a failed byte check. */
function firstDifference(a: string, b: string): string {
  const ta = readFileSync(a);
  const tb = readFileSync(b);
  let i = 0;
  while (i < ta.length && i < tb.length && ta[i] === tb[i]) i++;
  return `byte ${i}: ours ${JSON.stringify(ta.subarray(i, i + 60).toString("utf8"))}, anchor ${JSON.stringify(tb.subarray(i, i + 60).toString("utf8"))}`;
}
