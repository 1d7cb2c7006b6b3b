import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GENERATOR_VERSION, generateLog, type LogStats } from "./generate-log";
import { describeFailure, runTimed } from "./measure";
import { lineCount, note, seconds } from "./report";

export interface BenchOptions {
  lines: number;
  rssLines: number;
  quick: boolean;
  only: ReadonlySet<string>;
  runs: number;
  seed: number;
  /** Run `node bin/molecule-ops.mjs` instead of `npx molecule-ops` (no npm start-up in the figure). */
  direct: boolean;
}

export interface BenchLog {
  path: string;
  stats: LogStats;
}

/** The import report of docs/cli.md (`import-log --json`); other keys may be present. */
export interface ImportReport {
  lines: number;
  events: number;
  skipped: number;
  malformed: number;
  duplicates?: number;
  workspaces: number;
  [key: string]: unknown;
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Gitignored: logs are hundreds of MB and must never be committed. */
export const DATA_DIR = join(REPO_ROOT, "bench", ".data");

export const INSTALL_HINT = "install it with: sudo apt-get update && sudo apt-get install -y jq sqlite3";

export function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/** SQLite's side files go with the database: a stale -wal would be replayed into a "fresh" DB. */
export function removeDb(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal", ".ok"]) rmSync(path + suffix, { force: true });
}

export function parseImportReport(stdout: string): ImportReport {
  const report = JSON.parse(stdout) as ImportReport;
  if (typeof report.events !== "number" || typeof report.lines !== "number") {
    throw new Error(`import-log --json printed no {lines, events} report: ${stdout.slice(0, 200)}`);
  }
  return report;
}

export function describeReport(r: ImportReport): string {
  const dup = r.duplicates === undefined ? "" : `, duplicates=${r.duplicates}`;
  return `lines=${r.lines}, events=${r.events}, skipped=${r.skipped}, malformed=${r.malformed}${dup}, workspaces=${r.workspaces}`;
}

/**
 * Whether the import did the work: every well-formed record became an event. "Within a few":
 * an importer may legitimately read one of the damaged lines differently from the generator.
 */
export function eventsMatch(report: ImportReport, stats: LogStats): boolean {
  return Math.abs(report.events - stats.records) <= 5;
}

export class BenchContext {
  private readonly logs = new Map<number, BenchLog>();

  constructor(readonly options: BenchOptions) {
    mkdirSync(DATA_DIR, { recursive: true });
  }

  /** The CLI as its installed bin runs it, or through `npx` with --npx (adds npm's own start-up). */
  cli(args: readonly string[]): [string, string[]] {
    return this.options.direct
      ? [process.execPath, [join(REPO_ROOT, "bin", "molecule-ops.mjs"), ...args]]
      : ["npx", ["molecule-ops", ...args]];
  }

  runCli(args: readonly string[]) {
    const [command, argv] = this.cli(args);
    return runTimed(command, argv, REPO_ROOT);
  }

  /**
   * The generated log for `lines`, reused from bench/.data when an identical one (same
   * generator version, seed, size) is already there: a 3M-line log takes a while to write.
   */
  async log(lines: number): Promise<BenchLog> {
    const cached = this.logs.get(lines);
    if (cached) return cached;
    const path = join(DATA_DIR, `platform-${lines}-s${this.options.seed}.log`);
    const metaPath = `${path}.stats`; // not .json: the repo-wide `biome check .` would lint it
    let stats = readJson<LogStats>(metaPath);
    if (
      !stats ||
      stats.generatorVersion !== GENERATOR_VERSION ||
      !existsSync(path) ||
      statSync(path).size !== stats.bytes
    ) {
      const started = performance.now();
      stats = await generateLog(path, { lines, seed: this.options.seed });
      writeFileSync(metaPath, `${JSON.stringify(stats, null, 2)}\n`);
      note(
        `generated ${path} (${lineCount(lines)} lines, ${(stats.bytes / 1e6).toFixed(1)} MB) in ${seconds((performance.now() - started) / 1000)}`,
      );
    }
    const log = { path, stats };
    this.logs.set(lines, log);
    return log;
  }

  /** Where the import benchmark leaves the database the query and export benchmarks read. */
  importedDbPath(log: BenchLog): string {
    return log.path.replace(/\.log$/, ".db");
  }

  markImported(dbPath: string, report: ImportReport): void {
    writeFileSync(`${dbPath}.ok`, `${JSON.stringify(report)}\n`);
  }

  /** The imported database for `log`, importing it once (untimed) when no complete one exists. */
  async importedDb(log: BenchLog): Promise<string> {
    const db = this.importedDbPath(log);
    if (existsSync(`${db}.ok`) && existsSync(db) && statSync(db).mtimeMs >= statSync(log.path).mtimeMs) return db;
    removeDb(db);
    note(`importing ${log.path} into ${db} (untimed, for the read benchmarks)`);
    const run = await this.runCli(["import-log", log.path, "--json", "--db", db]);
    if (run.code !== 0) throw new Error(describeFailure("import-log", run));
    this.markImported(db, parseImportReport(run.stdout));
    return db;
  }
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return null;
  }
}
