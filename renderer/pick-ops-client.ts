import { createHttpClient, takeTokenFromLocation } from "./ops-client-http";
import { createIpcClient } from "./ops-client-ipc";
import type { UiOpsClient } from "./ui-ops-client";

/**
 * IPC inside the desktop app (its preload defines window.moleculeOps), else the browser host
 * with the token of the URL it was opened with; `tokenMissing` when there was none.
 */
export function pickOpsClient(): { client: UiOpsClient; tokenMissing: boolean } {
  if (window.moleculeOps) return { client: createIpcClient(window.moleculeOps), tokenMissing: false };
  const token = takeTokenFromLocation();
  return { client: createHttpClient(token), tokenMissing: token === null };
}
