import type { IncomingMessage } from "node:http";
import { applyCors, DEFAULT_CORS_ORIGINS } from "./cors";
import { emptyReply, type Reply, textReply } from "./http-io";
import type { ResolvedSimOptions } from "./options";
import type { RateLimiter } from "./rate-limiter";
import { clientIp, header } from "./request-headers";
import { securityHeaders } from "./security-headers";
import { passesTenantGuard } from "./tenant-guard";

export interface Screening {
  /** Headers the middleware set: they go out with whatever answers the request. */
  headers: Record<string, string | string[]>;
  /** Set when a middleware answered: the request goes no further. */
  answer?: Reply;
  /** The answer came from the SaaS edge: the tenant server never saw the request (no access line). */
  edge?: boolean;
}

/**
 * Everything in front of the tenant's routes, in the platform's order (router.go): the SaaS
 * edge (optional, in front of the server), CORS, the rate limiter, the org guard, the security
 * headers. Bearer auth comes after, per route group. REST requests and /ws upgrades go through
 * the same screening.
 */
export function screenTenantRequest(
  req: IncomingMessage,
  path: string,
  options: ResolvedSimOptions,
  limiter: RateLimiter | null,
): Screening {
  // The edge serves the web UI for anything it does not route to the API: a /workspaces request
  // without an Origin (not from a browser page or a client that says where it is from) gets the
  // UI's empty 404 — which is why an empty 404 means "check the tenant URL and the org id".
  if (options.saasEdge && (path === "/workspaces" || path.startsWith("/workspaces/")) && header(req, "origin") === "") {
    return { headers: {}, answer: textReply(404, "", "text/html; charset=utf-8"), edge: true };
  }
  const cors = applyCors(req, options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  const headers = { ...cors.headers };
  if (cors.answer) return { headers, answer: cors.answer };
  if (limiter) {
    const decision = limiter.check(clientIp(req));
    Object.assign(headers, decision.headers);
    if (decision.answer) return { headers, answer: decision.answer };
  }
  if (!passesTenantGuard(req, path, options.orgId, options.canvasProxy)) return { headers, answer: emptyReply(404) };
  Object.assign(headers, securityHeaders(path));
  return { headers };
}

/** gin's answer when no route matches (HandleMethodNotAllowed is off, so a wrong method too). */
export function noRouteReply(options: ResolvedSimOptions): Reply {
  // The combined tenant image proxies unrouted paths to the canvas (router.go NoRoute): its 404 page.
  if (options.canvasProxy)
    return textReply(404, "<!DOCTYPE html><html><body>404</body></html>", "text/html; charset=utf-8");
  return textReply(404, "404 page not found", "text/plain");
}
