import type { ExportInput } from "../core/api/schemas";
import type { ApiError } from "../core/api/views";

/** What a host sends back for one request (core/api/dispatch.ts `Answer`). */
export type BridgeAnswer = { ok: true; result: unknown } | { ok: false; error: ApiError };

/** One message of a subscription over IPC.item: an item, or the error that ended it. */
export type BridgeMessage = { item: unknown } | { error: ApiError };

/**
 * The Electron preload's `window.moleculeOps` (core/api/ops-client.ts, IPC channels): one
 * invoke, one subscribe and the two file operations whose dialogs belong to the main process.
 */
export interface MoleculeOpsBridge {
  invoke(name: string, input: unknown): Promise<BridgeAnswer>;
  /** Returns the function that unsubscribes (IPC.unsubscribe). */
  subscribe(name: string, input: unknown, onMessage: (message: BridgeMessage) => void): () => void;
  /** The save dialog is the main process's; `saved` is false when the person cancelled it. */
  exportTimeline(input: ExportInput): Promise<BridgeAnswer>;
  /**
   * The open dialog is the main process's. A dropped file is passed along for a preload that can
   * read it (webUtils.getPathForFile); one that cannot ignores it and opens its dialog.
   */
  importLog(file?: Blob & { name: string }): Promise<BridgeAnswer>;
}

declare global {
  interface Window {
    moleculeOps?: MoleculeOpsBridge;
  }
}
