import { join } from "node:path";
import { app, type BrowserWindow, dialog, session } from "electron";
import { BugLog } from "../../core/api/bug-log";
import { OpsService } from "../../core/api/ops-service";
import { ProfileStore } from "../../core/config/profile-store";
import packageJson from "../../package.json" with { type: "json" };
import { bundlePaths } from "../bundle-paths";
import { desktopLogPolicy } from "../desktop-log";
import { logBugsTo, logUnexpected } from "../unexpected-error";
import { serveIpc } from "./ipc-host";
import { registerAppScheme, serveRenderer } from "./renderer-protocol";
import { SafeStorageCredentials } from "./safe-storage-credentials";
import { createMainWindow, guardWebContents, hardenSession } from "./secure-window";

/** The import's parser thread as a data: URL, put into this bundle by electron/build-app.mjs. */
declare const MOLECULE_OPS_PARSE_WORKER_URL: string;

const paths = bundlePaths(import.meta.url);

// core/provlog/ingest.ts starts its parser thread from here: from this bundle, inside app.asar,
// never from a file beside it (see build-app.mjs).
(globalThis as { moleculeOpsWorkers?: { parse?: string } }).moleculeOpsWorkers = {
  parse: MOLECULE_OPS_PARSE_WORKER_URL,
};

// Before "ready", and so before any await at the top of this ES module (Electron's ESM notes).
// The same profile folder whether started from a checkout (`electron dist/electron/main.mjs`,
// where Electron would call the app "Electron") or installed.
app.setName(packageJson.name);
app.setPath("userData", join(app.getPath("appData"), packageJson.name));
registerAppScheme();
app.enableSandbox();
app.on("web-contents-created", (_event, contents) => guardWebContents(contents));

let mainWindow: BrowserWindow | null = null;

// One instance: a second launch focuses the running window instead of opening a second writer
// on the same cache.
if (app.requestSingleInstanceLock()) {
  app.on("second-instance", () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  start().catch((error: unknown) => {
    // Startup failed before the UI could show anything: say so once, in the main process only.
    console.error("molecule-ops: could not start:", error);
    // Also into the log file when it was set up (the console is gone once the app is closed).
    logUnexpected("startup", error, [], () => {});
    dialog.showErrorBox("molecule-ops could not start", "See the terminal or the system log for details.");
    app.exit(1);
  });
} else {
  app.quit();
}

async function start(): Promise<void> {
  await app.whenReady();
  logBugsTo(new BugLog(desktopLogPolicy(app.getPath("logs"))));
  hardenSession(session.defaultSession);
  serveRenderer(paths.renderer);

  const userData = app.getPath("userData");
  const service = new OpsService({
    profiles: new ProfileStore(join(userData, "profiles.json")),
    credentials: await SafeStorageCredentials.open(join(userData, "credentials.json")),
    env: process.env,
    host: "electron",
    version: packageJson.version,
  });
  serveIpc(service);

  const open = () => {
    mainWindow = createMainWindow(paths.preload);
    mainWindow.on("closed", () => {
      mainWindow = null;
    });
  };
  open();
  app.on("activate", () => {
    if (!mainWindow) open();
  });
  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });

  // Close the cache and the upstream clients before exiting (a WAL checkpoint, open sockets),
  // waiting at most a few seconds: a hung upstream must not keep the app from quitting.
  let closed = false;
  app.on("will-quit", (event) => {
    if (closed) return;
    event.preventDefault();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
    void Promise.race([service.close(), deadline])
      .catch((error: unknown) => logUnexpected("quit", error, service.secrets()))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
