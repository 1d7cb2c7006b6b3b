import type { BugReport } from "./bug-log";
import { type Answer, failed, parseExport } from "./dispatch";
import type { ImportReportView } from "./ops-client";
import type { OpsService } from "./ops-service";
import type { ExportInput } from "./schemas";
import { importReportView } from "./timeline";

/** What the file operations need of the service (a host's tests give a stand-in). */
export type FileService = Pick<OpsService, "exportTimeline" | "importLog" | "secrets">;

/**
 * An export, as both hosts answer it: the input validated before anything is asked or written,
 * then `write` (the host's: a download, a file the person chose) streams it through
 * `service.exportTimeline`; its result, or a safe error, a bug's cause reported on the way.
 */
export async function answerExport<R>(
  service: Pick<OpsService, "secrets">,
  raw: unknown,
  write: (input: ExportInput) => Promise<R>,
  bugs: BugReport,
): Promise<Answer<R>> {
  try {
    return { ok: true, result: await write(parseExport(raw)) };
  } catch (error) {
    return failed(service, error, "export", bugs);
  }
}

/**
 * An import, as both hosts answer it: the log `open` gives (a path the person chose, an upload)
 * streamed into the active profile's cache; the report as the API shows it, or a safe error.
 */
export async function answerImport(
  service: FileService,
  open: () => Promise<string | NodeJS.ReadableStream>,
  bugs: BugReport,
): Promise<Answer<ImportReportView>> {
  try {
    return { ok: true, result: importReportView(await service.importLog(await open())) };
  } catch (error) {
    return failed(service, error, "import", bugs);
  }
}
