import { isAbsolute } from "node:path";
import type { Answer } from "../core/api/dispatch";
import { answerExport as exportAnswer, type FileService, answerImport as importAnswer } from "../core/api/file-streams";
import type { ImportReportView } from "../core/api/ops-client";
import type { OpsService } from "../core/api/ops-service";
import type { ExportInput } from "../core/api/schemas";
import { replaceFile, writeAll } from "../core/config/private-file";
import { OpsError } from "../core/errors";
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

/** IPC.export: validated (core/api/file-streams.ts), then a save dialog, then the file. */
export function answerExport(
  service: FileService,
  raw: unknown,
  dialogs: FileDialogs,
): Promise<Answer<{ rows: number; saved: boolean }>> {
  return exportAnswer(
    service,
    raw,
    async (input) => {
      const path = await dialogs.chooseExportPath(input.format);
      if (path === null) return { rows: 0, saved: false };
      return { rows: await exportTimelineToFile(service, input, path), saved: true };
    },
    logUnexpected,
  );
}

/**
 * IPC.import: ask which log, stream it into the active profile's cache. `suggested` (the path of
 * a file dropped on the window) only preselects it in the dialog; it is never read unconfirmed.
 */
export function answerImport(
  service: FileService,
  dialogs: FileDialogs,
  suggested?: unknown,
): Promise<Answer<ImportReportView>> {
  return importAnswer(
    service,
    async () => {
      const path = await dialogs.chooseLogFile(suggestedLogPath(suggested));
      if (path === null) throw new OpsError("Cancelled", "no log file was chosen");
      return path;
    },
    logUnexpected,
  );
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
