import { extname, isAbsolute, relative, resolve } from "node:path";
import { CONTENT_SECURITY_POLICY } from "../core/api/content-security-policy";
import { APP_ORIGIN, isAppUrl } from "./security-policy";

/** What the built renderer (Vite, dist/renderer) contains; anything else is not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/**
 * The file of the built renderer that an `app://molecule-ops/…` request names, or null. The
 * path is decoded, resolved under `root` and refused unless it stays inside it: `/..%2F..%2Fetc`
 * (the URL parser keeps encoded slashes), `%00` and look-alike hosts never reach the disk.
 */
export function rendererFilePath(root: string, requestUrl: string, appOrigin: string = APP_ORIGIN): string | null {
  if (!isAppUrl(requestUrl, appOrigin)) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (path.includes("\0")) return null;
  if (path === "" || path === "/") path = "/index.html";
  const base = resolve(root);
  const full = resolve(base, `.${path}`);
  const inside = relative(base, full);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return null;
  return contentTypeOf(full) ? full : null;
}

export function contentTypeOf(path: string): string | null {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? null;
}

/** Sent with every response of the app protocol: the CSP rides on the document itself. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    "content-type": contentType,
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  };
}

/** The not-found answer also carries the CSP, so no response of the origin is without it. */
export function notFoundHeaders(): Record<string, string> {
  return appResponseHeaders("text/plain; charset=utf-8");
}
