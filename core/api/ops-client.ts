import type { ExportInput, RequestInput, RequestName, SubscriptionInput, SubscriptionName } from "./schemas";
import type { RequestResults, SubscriptionItems } from "./views";

/**
 * What the renderer talks to, and nothing else (DESIGN: views talk only to an OpsClient). Two
 * implementations: over Electron IPC (the preload's `window.moleculeOps`) and over HTTP (the
 * browser host). Both reject with an `OpsClientError` carrying the API's {code, message}.
 */
export interface OpsClient {
  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestResults[N]>;
  /** Calls `onItem` for each item until the returned function is called; `onError` once if it breaks. */
  subscribe<N extends SubscriptionName>(
    name: N,
    input: SubscriptionInput<N>,
    onItem: (item: SubscriptionItems[N]) => void,
    onError?: (error: OpsClientError) => void,
  ): () => void;
  /** Saves the export as a file: a download in the browser host, a save dialog in Electron. */
  exportTimeline(input: ExportInput): Promise<{ rows: number; saved: boolean }>;
  /** Imports a provlog file chosen by the user (drag-and-drop or picker). */
  importLog(file: Blob & { name: string }): Promise<ImportReportView>;
}

export interface ImportReportView {
  lines: number;
  events: number;
  skipped: number;
  malformed: number;
  workspaces: number;
  added: number;
  duplicates: number;
  bindings: number;
  first_malformed: Array<{ line: number; reason: string; event: string | null }>;
}

export class OpsClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "OpsClientError";
  }
}

/**
 * The browser host's wire protocol (server/), for reference by both ends:
 *   POST /api/request/<name>      JSON input → JSON {ok, result} | {ok: false, error: {code, message}}
 *   GET  /api/subscribe/<name>?input=<url-encoded JSON>   text/event-stream, one `data:` JSON item each
 *   POST /api/export              JSON {filter, format} → the file (Content-Disposition: attachment)
 *   POST /api/import?name=<file>  the raw log bytes → JSON {ok, result: ImportReportView} | error
 * Every /api call carries the per-run token in the `x-molecule-ops-token` header; the page reads
 * it from the URL fragment it was opened with (#token=…), which browsers never send to servers.
 */
export const TOKEN_HEADER = "x-molecule-ops-token";

/**
 * Electron IPC channels (one namespace, as Podman Desktop does). The preload exposes exactly
 * `window.moleculeOps = { invoke, subscribe, exportTimeline, importLog }` over these.
 *   invoke:      ipcRenderer.invoke(IPC.invoke, name, input) → Answer (see dispatch.ts)
 *   subscribe:   ipcRenderer.send(IPC.subscribe, subscriptionId, name, input); items arrive on
 *                IPC.item as (subscriptionId, {item} | {error}); IPC.unsubscribe stops it
 *   export:      ipcRenderer.invoke(IPC.export, input) → Answer of {rows, saved} (save dialog in main)
 *   import:      ipcRenderer.invoke(IPC.import) → Answer of ImportReportView (open dialog in main)
 */
export const IPC = {
  invoke: "molecule-ops:invoke",
  subscribe: "molecule-ops:subscribe",
  unsubscribe: "molecule-ops:unsubscribe",
  item: "molecule-ops:item",
  export: "molecule-ops:export",
  import: "molecule-ops:import",
} as const;
