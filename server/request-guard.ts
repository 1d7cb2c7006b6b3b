import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * The browser host listens on 127.0.0.1 only, but any web page the user visits can still try to
 * reach it: by DNS rebinding (evil.example resolving to 127.0.0.1, so the Host header names a
 * foreign host) or by cross-site requests (a foreign Origin). Both are refused before routing,
 * and every API call must carry the per-run token, which only the URL printed at start has.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return LOOPBACK_NAMES.some((name) => host === `${name}:${port}`);
}

/** No Origin (a same-origin GET, curl) or exactly this host's origin. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return LOOPBACK_NAMES.some((name) => origin === `http://${name}:${port}`);
}

/** Browsers say where a request comes from; anything but this site (or a typed URL) is refused. */
export function fetchSiteAllowed(site: string | undefined): boolean {
  return site === undefined || site === "same-origin" || site === "none";
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** Constant-time on digests: neither the token's content nor its length leaks through timing. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
