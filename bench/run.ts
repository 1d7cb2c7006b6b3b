/**
 * `npm run bench`: the offline-cache benchmarks of the issue "Offline cache, provlog timeline
 * import and export" (item 6), the status-sweep ones of "Live status" (item 5) and the live-feed
 * one of issue 16 (item 1: `--only live`, e2e/live-bench.spec.ts run through Playwright), and the
 * UI at 10,000 rows (item 2: `--only ui`, e2e/ui-bench.spec.ts). Every figure is a ratio against a baseline measured in the same
 * run, because these machines are shared and noisy: absolute times from two runs do not compare.
 * Always exits 0 — it is a report; a missed target is printed as FAIL.
 * The CLI is run as its installed bin runs it (node bin/molecule-ops.mjs); `--npx` adds npm's
 * own resolution of `npx molecule-ops`, 1–2 s a call on these machines, to every subject time.
 *
 *   npm run bench -- [--lines N] [--rss-lines N] [--quick] [--only import,query,export,rss,sweep,load,live,ui]
 *                    [--runs N] [--seed S] [--npx]
 */
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { BenchContext, type BenchOptions, hasTool, REPO_ROOT } from "./bench-context";
import { exportBench } from "./export-bench";
import { DEFAULT_SEED } from "./generate-log";
import { importBench } from "./import-bench";
import { liveBench } from "./live-bench";
import { loadBench } from "./load-bench";
import { best } from "./measure";
import { queryBench } from "./query-bench";
import { printSummary, result, seconds, skipped, type TargetResult } from "./report";
import { rssBench } from "./rss-bench";
import { sweepBench } from "./sweep-bench";
import { uiBench } from "./ui-bench";

const BENCHES = ["import", "query", "export", "rss", "sweep", "load", "live", "ui"] as const;
type BenchName = (typeof BENCHES)[number];

const USAGE =
  "usage: npm run bench -- [--lines N] [--rss-lines N] [--quick] [--only import,query,export,rss,sweep,load,live,ui] [--runs N] [--seed S] [--npx]";

function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    lines: 1_000_000,
    rssLines: 3_000_000,
    quick: false,
    only: new Set(BENCHES),
    runs: 3,
    seed: DEFAULT_SEED,
    direct: true,
  };
  const count = (flag: string, value: string | undefined): number => {
    const n = Number(value?.replaceAll("_", ""));
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    switch (flag) {
      case "--lines":
        options.lines = count(flag, value);
        i++;
        break;
      case "--rss-lines":
        options.rssLines = count(flag, value);
        i++;
        break;
      case "--runs":
        options.runs = count(flag, value);
        i++;
        break;
      case "--seed":
        options.seed = count(flag, value);
        i++;
        break;
      case "--only": {
        const names = (value ?? "").split(",").filter(Boolean);
        const unknown = names.filter((n) => !(BENCHES as readonly string[]).includes(n));
        if (names.length === 0 || unknown.length > 0) {
          throw new Error(
            `--only takes a comma-separated list of ${BENCHES.join(",")}${unknown.length ? `, not ${unknown.join(",")}` : ""}\n${USAGE}`,
          );
        }
        options.only = new Set(names);
        i++;
        break;
      }
      case "--quick":
        options.quick = true;
        break;
      case "--npx":
        options.direct = false;
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return options;
}

/** Which of the commands under test exist yet: they are being written alongside this bench. */
function cliSurface(): { importLog: boolean; timeline: boolean } {
  const help = spawnSync(process.execPath, ["bin/molecule-ops.mjs", "--help"], { cwd: REPO_ROOT, encoding: "utf8" });
  const text = `${help.stdout}${help.stderr}`;
  return { importLog: /^\s*import-log\b/m.test(text), timeline: /^\s*timeline\b/m.test(text) };
}

function toolVersion(command: string, args: string[]): string {
  if (!hasTool(command)) return `${command} missing`;
  const r = spawnSync(command, args, { encoding: "utf8" });
  return `${command} ${(r.stdout || r.stderr).trim().split(/\s+/).slice(0, 2).join(" ")}`;
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const ctx = new BenchContext(options);
  const surface = cliSurface();
  process.stdout.write(
    `molecule-ops bench: node ${process.version}, ${availableParallelism()} cores, ${toolVersion("sqlite3", ["--version"])}, ${toolVersion("jq", ["--version"])}; best of ${options.runs}, baseline and subject interleaved\n`,
  );

  // npx's own start-up is inside every subject figure (the issue's commands are `npx ...`);
  // printed so a reader can tell launcher cost from import cost.
  const startups: number[] = [];
  for (let i = 0; i < options.runs; i++) startups.push((await ctx.runCli(["--help"])).seconds);
  const [cmd, args] = ctx.cli(["--help"]);
  process.stdout.write(
    `subject start-up (${cmd} ${args.join(" ")}): ${seconds(best(startups))}, included in subject times\n\n`,
  );

  const results: TargetResult[] = [];
  const run = async (bench: BenchName, needs: boolean, why: string, fn: () => Promise<TargetResult[]>) => {
    if (!options.only.has(bench)) return;
    if (!needs) {
      results.push(skipped(bench, why));
      return;
    }
    try {
      results.push(...(await fn()));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push(result(bench, "ERROR", `${bench}: ${message}`));
    }
  };
  const noImport = "molecule-ops has no import-log command yet (see npx molecule-ops --help)";
  await run("import", surface.importLog, noImport, () => importBench(ctx));
  await run("query", surface.importLog, noImport, () => queryBench(ctx));
  await run(
    "export",
    surface.importLog && surface.timeline,
    "molecule-ops has no import-log/timeline command yet",
    () => exportBench(ctx),
  );
  await run("rss", surface.importLog, noImport, () => rssBench(ctx));
  await run("sweep", true, "", () => sweepBench(ctx));
  await run("load", surface.importLog, noImport, () => loadBench(ctx));
  await run("live", true, "", () => liveBench(ctx));
  await run("ui", true, "", () => uiBench(ctx));
  printSummary(results);
}

await main();
