import type { ImportReportView, OpsClient } from "../core/api/ops-client";
import type { HostLink } from "./transport/host-link";

/**
 * The OpsClient of core/api plus what the UI needs to know about its transport: which host it
 * talks to (the import button opens the main process's dialog in Electron) and whether the host
 * is reachable (the stale banner).
 */
export interface UiOpsClient extends OpsClient {
  readonly kind: "http" | "ipc";
  readonly link: HostLink;
  /** Electron only: the main process asks which log to import (its own open dialog). */
  chooseAndImportLog?(): Promise<ImportReportView>;
}
