import type { IncomingMessage } from "node:http";
import { emptyReply, type Reply } from "./http-io";
import { header } from "./request-headers";

/** router.go's defaults when CORS_ORIGINS is unset. */
export const DEFAULT_CORS_ORIGINS = ["http://localhost:3000", "http://localhost:3001"];
const ALLOW_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS";
/** AllowHeaders as gin-contrib/cors writes them: http.CanonicalHeaderKey of each. */
const ALLOW_HEADERS = "Origin,Content-Type,X-Workspace-Id,Authorization";

export interface CorsResult {
  headers: Record<string, string | string[]>;
  answer?: Reply;
}

/**
 * gin-contrib/cors v1.7.7 as router.go configures it (AllowCredentials, the methods and headers
 * above). No Origin, or the request's own origin (http:// or https:// + Host): not a CORS
 * request, nothing to do. An Origin not in the list: 403 with an empty body, before anything
 * else of the platform runs. A preflight (OPTIONS) from an allowed origin: 204 at once.
 */
export function applyCors(req: IncomingMessage, allowed: readonly string[]): CorsResult {
  const origin = header(req, "origin");
  if (origin === "") return { headers: {} };
  const host = header(req, "host");
  if (origin === `http://${host}` || origin === `https://${host}`) return { headers: {} };
  // The configured list is trimmed and lower-cased; the request's Origin is compared as sent.
  if (!allowed.some((entry) => entry.trim().toLowerCase() === origin)) return { headers: {}, answer: emptyReply(403) };
  if (req.method === "OPTIONS") {
    const headers = {
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": ALLOW_METHODS,
      "access-control-allow-headers": ALLOW_HEADERS,
      vary: ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"],
      "access-control-allow-origin": origin,
    };
    return { headers, answer: emptyReply(204) };
  }
  return {
    headers: { "access-control-allow-credentials": "true", vary: "Origin", "access-control-allow-origin": origin },
  };
}
