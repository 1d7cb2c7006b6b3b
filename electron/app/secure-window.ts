import { app, BrowserWindow, type Session, shell, type WebContents } from "electron";
import {
  APP_ORIGIN,
  isAllowedRequest,
  navigationDecision,
  permissionDecision,
  windowOpenDecision,
} from "../security-policy";

/**
 * The one window (DESIGN "Electron security"): context isolation, no Node in the page, the
 * Chromium sandbox, web security, and a preload that exposes only `window.moleculeOps`. It shows
 * only the app's own origin; DevTools only in unpackaged (development) runs.
 */
export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: "molecule-ops",
    webPreferences: {
      preload,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  win.once("ready-to-show", () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/**
 * Applied to every webContents the app creates (app "web-contents-created"): no new windows
 * (http(s) links the user opens go to the system browser), no navigation or redirect away from
 * the app's origin, no <webview>.
 */
export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternal) void shell.openExternal(decision.openExternal).catch(() => {});
    return { action: decision.action };
  });
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (navigationDecision(event.url, APP_ORIGIN) === "deny") event.preventDefault();
  };
  contents.on("will-navigate", stayInApp);
  contents.on("will-frame-navigate", stayInApp);
  contents.on("will-redirect", stayInApp);
  contents.on("will-attach-webview", (event) => event.preventDefault());
}

/**
 * Every permission request and check is refused (the console needs none), device access too,
 * and the browser process cancels any request that is not for the app's own origin: no remote
 * content, even from a renderer that ignored its CSP.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
  session.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
}
