import type { Answer } from "./dispatch";
import type { ExportInput } from "./schemas";
import type { ApiError } from "./views";

/**
 * The desktop app's bridge between its preload (electron/preload-bridge.ts, which builds it over
 * the IPC channels of ops-client.ts) and the renderer (renderer/ops-client-ipc.ts, which uses it):
 * one contract, defined here, that both sides import.
 */

/** The name on `window` under which the preload exposes the bridge (renderer/pick-ops-client.ts). */
export const BRIDGE_KEY = "moleculeOps";

/** What a host sends back for one request (dispatch.ts `Answer`). */
export type BridgeAnswer = Answer;

/** One message of a subscription over IPC.item: an item, or the error that ended it. */
export type BridgeMessage = { item: unknown } | { error: ApiError };

/**
 * The Electron preload's `window.moleculeOps` (ops-client.ts, IPC channels): one invoke, one
 * subscribe and the two file operations whose dialogs belong to the main process.
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
    /** BRIDGE_KEY: present only inside the desktop app. */
    moleculeOps?: MoleculeOpsBridge;
  }
}
