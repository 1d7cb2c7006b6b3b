/**
 * The desktop app's security rules as pure functions (DESIGN "Electron security": a strict CSP,
 * no remote content, `will-navigate` / `setWindowOpenHandler` deny by default, permission
 * requests denied, IPC senders checked with the URL parser, `shell.openExternal` only for http(s)
 * links). electron/app wires them to Electron; the tests here pin what they refuse.
 */

/** The renderer is served from this privileged scheme so that it has a real, checkable origin. */
export const APP_SCHEME = "app";
export const APP_HOST = "molecule-ops";
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** `new URL` that answers null instead of throwing: a malformed URL is simply not trusted. */
function parse(url: string | null | undefined): URL | null {
  if (typeof url !== "string" || url === "") return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True only for a URL of exactly the app's origin. Compared by parsed scheme and host (with port),
 * never by string prefix: `app://molecule-ops.evil/` and `app://molecule-ops@evil/` are foreign.
 * (`URL.origin` cannot be used: WHATWG gives custom schemes the opaque origin "null".)
 */
export function isAppUrl(url: string | null | undefined, appOrigin: string = APP_ORIGIN): boolean {
  const u = parse(url);
  const app = parse(appOrigin);
  if (!u || !app || app.host === "") return false;
  if (u.username !== "" || u.password !== "") return false;
  return u.protocol === app.protocol && u.host === app.host;
}

/** IPC: a request counts only if the frame that sent it shows the app's own page. */
export function isTrustedSender(frameUrl: string | null | undefined, appOrigin: string = APP_ORIGIN): boolean {
  return isAppUrl(frameUrl, appOrigin);
}

export type NavigationDecision = "allow" | "deny";

/** `will-navigate` and friends: the window never leaves the app (no remote content). */
export function navigationDecision(url: string, appOrigin: string = APP_ORIGIN): NavigationDecision {
  return isAppUrl(url, appOrigin) ? "allow" : "deny";
}

export interface WindowOpenDecision {
  /** Always "deny": the app opens no second window, not even of its own pages. */
  action: "deny";
  /** The URL to hand to `shell.openExternal` (normalised by the parser), or null for none. */
  openExternal: string | null;
}

/**
 * `setWindowOpenHandler`: every new window is refused; a link the user opened is given to the
 * system browser only if it is plain http(s) to a named host with no credentials in it. Never
 * file:, javascript:, data:, or custom schemes (an OS handler for `foo:` can run programs).
 */
export function windowOpenDecision(url: string): WindowOpenDecision {
  return { action: "deny", openExternal: externalLink(url) };
}

function externalLink(url: string): string | null {
  const u = parse(url);
  if (!u) return null;
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  if (u.hostname === "" || u.username !== "" || u.password !== "") return null;
  return u.href;
}

/**
 * Session permission requests and checks: the console needs none of camera, notifications,
 * clipboard-read, geolocation, HID, serial, USB, openExternal, fullscreen…, so all are refused.
 */
export function permissionDecision(_permission: string): false {
  return false;
}

/**
 * Requests the browser process lets through (`webRequest.onBeforeRequest`): the app's own files,
 * blobs the app made (a console download), `data:` images the CSP allows, and DevTools' own
 * pages. Anything else (a remote URL) is cancelled in the browser process, so it holds even if a
 * renderer ignored its CSP.
 */
export function isAllowedRequest(url: string, appOrigin: string = APP_ORIGIN): boolean {
  if (isAppUrl(url, appOrigin)) return true;
  const u = parse(url);
  if (u?.protocol === "blob:") return isAppUrl(u.pathname, appOrigin);
  return u !== null && (u.protocol === "data:" || u.protocol === "devtools:");
}
