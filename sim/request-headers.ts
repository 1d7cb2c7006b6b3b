import type { IncomingMessage } from "node:http";

/** c.GetHeader: the first value, "" when absent. */
export function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** wsauth.BearerTokenFromHeader: the token after an exact "Bearer " prefix, trimmed; "" otherwise. */
export function bearerToken(req: IncomingMessage): string {
  const value = header(req, "authorization");
  return value.startsWith("Bearer ") ? value.slice(7).trim() : "";
}

/** c.ClientIP() with no trusted proxies (router.go, #179): the TCP peer, never X-Forwarded-For. */
export function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/**
 * isSameOriginCanvas (middleware/wsauth_middleware.go): the Referer names this Host
 * (`http(s)://host/…`) or the Origin is exactly this Host's origin.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const host = header(req, "host");
  if (host === "") return false;
  const referer = header(req, "referer");
  for (const scheme of ["https://", "http://"]) {
    const origin = scheme + host;
    if (referer === origin || referer.startsWith(`${origin}/`)) return true;
  }
  const origin = header(req, "origin");
  return origin === `https://${host}` || origin === `http://${host}`;
}
