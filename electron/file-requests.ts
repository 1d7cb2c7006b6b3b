import { isAbsolute } from "node:path";
import type { Answer } from "../core/api/dispatch";
import { parseExport, safeError } from "../core/api/dispatch";
import type { ImportReportView } from "../core/api/ops-client";
import type { OpsService } from "../core/api/ops-service";
import type { ExportInput } from "../core/api/schemas";
import { replaceFile, writeAll } from "../core/config/private-file";
import { OpsError } from "../core/errors";
import type { ImportReport } from "../core/provlog/ingest";
import { logUnexpected } from "./unexpected-error";

/**
 * The native dialogs of the desktop app. The renderer never names a path: main asks the person,
 * so a compromised page cannot make the app read or overwrite a file of its choosing.
 */
export interface FileDialogs {
  /** A path to save the export to, or null when the person cancelled. */
  chooseExportPath(format: ExportInput["format"]): Promise<string | null>;
  /** A log file to import, or null when the person cancelled; `suggested` is preselected. */
  chooseLogFile(suggested: string | undefined): Promise<string | null>;
}

type FileService = Pick<OpsService, "exportTimeline" | "importLog" | "secrets">;

/** IPC.export: validate, ask where, write through the shared exporter. */
export async function answerExport(service: FileService, raw: unknown, dialogs: FileDialogs): Promise<Answer> {
  try {
    const input = parseExport(raw);
    const path = await dialogs.chooseExportPath(input.format);
    if (path === null) return { ok: true, result: { rows: 0, saved: false } };
    const rows = await exportTimelineToFile(service, input, path);
    return { ok: true, result: { rows, saved: true } };
  } catch (error) {
    logUnexpected("export", error, service.secrets());
    return { ok: false, error: safeError(error, service.secrets()) };
  }
}

/**
 * IPC.import: ask which log, stream it into the active profile's cache. `suggested` (the path of
 * a file dropped on the window) only preselects it in the dialog; it is never read unconfirmed.
 */
export async function answerImport(service: FileService, dialogs: FileDialogs, suggested?: unknown): Promise<Answer> {
  try {
    const path = await dialogs.chooseLogFile(suggestedLogPath(suggested));
    if (path === null) throw new OpsError("Cancelled", "no log file was chosen");
    const report = await service.importLog(path);
    return { ok: true, result: importReportView(report) };
  } catch (error) {
    logUnexpected("import", error, service.secrets());
    return { ok: false, error: safeError(error, service.secrets()) };
  }
}

/** A renderer-given path worth preselecting: an absolute, plain, bounded string; else none. */
export function suggestedLogPath(raw: unknown): string | undefined {
  if (typeof raw !== "string" || raw.length > 4096 || raw.includes("\0") || !isAbsolute(raw)) return undefined;
  return raw;
}

/**
 * Streams the export into a private temp file beside `path` (exclusive, random name, never
 * through a link) and renames it over `path` once complete: a failed or interrupted export never
 * leaves a truncated file under the name the person chose, nor an export readable by others.
 */
export async function exportTimelineToFile(
  service: Pick<OpsService, "exportTimeline">,
  input: ExportInput,
  path: string,
): Promise<number> {
  try {
    let rows = 0;
    await replaceFile(path, async (fd) => {
      rows = await service.exportTimeline(input, (chunk) => writeAll(fd, chunk));
    });
    return rows;
  } catch (error) {
    if (error instanceof OpsError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? "write failed";
    throw new OpsError("Input", `could not save the export to ${path} (${code})`, { cause: error });
  }
}

/** The import report as the API shows it (core/api/ops-client.ts ImportReportView). */
export function importReportView(report: ImportReport): ImportReportView {
  return {
    lines: report.lines,
    events: report.events,
    skipped: report.skipped,
    malformed: report.malformed,
    workspaces: report.workspaces,
    added: report.added,
    duplicates: report.duplicates,
    bindings: report.bindings,
    first_malformed: report.first_malformed.map((m) => ({ line: m.line, reason: m.reason, event: m.event })),
  };
}
