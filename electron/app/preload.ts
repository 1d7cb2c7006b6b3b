import { contextBridge, ipcRenderer, webUtils } from "electron";
import { BRIDGE_KEY } from "../../core/api/bridge";
import { createBridge } from "../preload-bridge";

/**
 * The sandboxed preload, built to CommonJS (sandboxed preloads cannot be ES modules). It exposes
 * exactly `window.moleculeOps` (see preload-bridge.ts); ipcRenderer stays in here.
 */
contextBridge.exposeInMainWorld(
  BRIDGE_KEY,
  createBridge({
    invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    send: (channel, ...args) => ipcRenderer.send(channel, ...args),
    on: (channel, listener) => {
      ipcRenderer.on(channel, listener);
    },
    pathForFile: (file) => webUtils.getPathForFile(file),
  }),
);
