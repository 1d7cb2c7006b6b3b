import { Redactor } from "../../core/config/redactor";
import { envSecrets } from "../../core/config/secret-env";
import { OpsError } from "../../core/errors";
import { type ImportProgress, importProvlog } from "../../core/provlog/ingest";
import type { CommandContext } from "../context";
import { EXIT_OK, EXIT_UPSTREAM } from "../exit-codes";
import { printJson, printLine } from "../output";
import { ProgressLine } from "../progress-line";
import type { Command } from "./command";

export const importLogCommand: Command = {
  name: "import-log",
  usage: "import-log <file|-> [--json]",
  summary: "Ingest a platform log (plain or gzip, or - for stdin) into the timeline",
  flags: {},
  async run(ctx: CommandContext) {
    const [file, ...rest] = ctx.parsed.positionals;
    if (file === undefined) throw new OpsError("Usage", "import-log needs a file, or - for standard input");
    if (rest.length > 0) throw new OpsError("Usage", "import-log takes one file");
    const store = ctx.openStore();
    const source = file === "-" ? process.stdin : file;
    const total = file === "-" ? null : await fileSize(file);
    const progress = new ProgressLine(process.stderr, total);
    let report: Awaited<ReturnType<typeof importProvlog>>;
    let inputError: OpsError | null = null;
    try {
      report = await importProvlog(store, source, {
        onProgress: (p: ImportProgress) => progress.update(p),
        // A tenant's log is upstream text: the configured secrets never reach the cache from it.
        redactor: new Redactor(envSecrets(ctx.env)),
      });
    } catch (error) {
      const partial = (error as { report?: typeof report }).report;
      if (!(error instanceof OpsError) || !partial) throw error;
      report = partial;
      inputError = error;
    } finally {
      progress.done();
    }
    if (ctx.json) {
      printJson(inputError ? { ...report, error: inputError.toJSON() } : report);
    } else {
      printLine(
        `${report.lines} lines: ${report.events} records (${report.added} new, ${report.duplicates} already cached), ` +
          `${report.skipped} other lines skipped, ${report.malformed} malformed; ${report.workspaces} workspaces, ` +
          `${report.bindings} instance bindings learnt${report.gzip ? " (gzip)" : ""}`,
      );
      if (report.marshal_errors) printLine(`${report.marshal_errors} records carry _marshal_err (kept, flagged)`);
      if (report.nul_lines) printLine(`${report.nul_lines} lines had NUL bytes (removed, record kept)`);
      for (const m of report.first_malformed.slice(0, 10)) {
        printLine(`  line ${m.line}: ${m.reason}${m.event ? ` (${m.event})` : ""}`);
      }
    }
    if (inputError) {
      process.stderr.write(`molecule-ops: ${inputError.message} (what was read before is kept)\n`);
      return EXIT_UPSTREAM;
    }
    return EXIT_OK;
  },
};

async function fileSize(path: string): Promise<number | null> {
  const { stat } = await import("node:fs/promises");
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new OpsError("Input", `cannot read ${path}: is a directory`);
    return s.size;
  } catch (error) {
    if (error instanceof OpsError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new OpsError("Input", `cannot read ${path}: ${code === "ENOENT" ? "no such file" : (code ?? "error")}`);
  }
}
