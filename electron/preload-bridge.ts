import type { BridgeAnswer, BridgeMessage, MoleculeOpsBridge } from "../core/api/bridge";
import { IPC } from "../core/api/ops-client";

/** The part of Electron the preload uses: ipcRenderer's three calls and webUtils.getPathForFile. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  /** The disk path behind a File the person dropped or picked; "" for one built in script. */
  pathForFile(file: File): string;
}

/**
 * `window.moleculeOps` (core/api/bridge.ts) over the IPC channels of core/api/ops-client.ts:
 * four functions and nothing else, so ipcRenderer never reaches the page (DESIGN "Electron
 * security"). Answers and subscription messages cross as the plain `{ok, result | error}` and
 * `{item} | {error}` objects the main process sends: contextBridge would copy only the `message`
 * of a thrown Error and drop its `code` (electron/electron#25596), so the renderer's IPC client
 * turns them into OpsClientErrors on its side.
 */
export function createBridge(ipc: PreloadIpc): MoleculeOpsBridge {
  const listeners = new Map<string, (message: BridgeMessage) => void>();
  let lastId = 0;

  ipc.on(IPC.item, (_event, id, message) => {
    const listener = typeof id === "string" ? listeners.get(id) : undefined;
    const m = message as Partial<{ item: unknown; error: { code: unknown; message: unknown } }> | null;
    if (!listener || typeof m !== "object" || m === null) return;
    if (m.error) {
      // An error ends the subscription: nothing of it is delivered after.
      listeners.delete(id as string);
      listener({ error: { code: String(m.error.code), message: String(m.error.message) } });
    } else if ("item" in m) {
      listener({ item: m.item });
    }
  });

  const answer = (channel: string, ...args: unknown[]) => ipc.invoke(channel, ...args) as Promise<BridgeAnswer>;

  return {
    invoke: (name, input) => answer(IPC.invoke, name, input),
    subscribe(name, input, onMessage) {
      lastId += 1;
      const id = `s${lastId}`;
      listeners.set(id, onMessage);
      ipc.send(IPC.subscribe, id, name, input);
      return () => {
        if (listeners.delete(id)) ipc.send(IPC.unsubscribe, id);
      };
    },
    exportTimeline: (input) => answer(IPC.export, input),
    // A dropped file only pre-selects the main process's open dialog: the person still confirms,
    // so a page cannot make the app read a file of its choosing (see file-requests.ts).
    importLog: (file) => answer(IPC.import, suggestedPath(ipc, file)),
  };
}

function suggestedPath(ipc: PreloadIpc, file: unknown): string | undefined {
  if (file === undefined || file === null) return undefined;
  try {
    return ipc.pathForFile(file as File) || undefined;
  } catch {
    return undefined; // not a File (a plain Blob): nothing to suggest
  }
}
