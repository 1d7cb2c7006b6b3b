/**
 * Answers the platform's middleware gives before (or instead of) a route's handler. Shared by
 * every route the console uses. Order (router/router.go Setup): CORS, rate limiter, metrics,
 * org guard, security headers, then the route group's AdminAuth / WorkspaceAuth.
 */
import type { IncomingMessage } from "node:http";
import type { HttpFixture } from "../../testing/fixture-server";
import { type ContractFixture, GIN_JSON, rateLimitHeaders, routeJson, SECURITY_HEADERS } from "./fixture";

/**
 * middleware/tenant_guard.go TenantGuardWithOrgID: X-Molecule-Org-Id is not the tenant's
 * MOLECULE_ORG_ID (nor is Fly-Replay-Src's state=, nor, with CANVAS_PROXY_URL set, is the
 * request same-origin) → c.AbortWithStatus(404): no body, no Content-Type, and no security
 * headers (SecurityHeaders is registered after the guard); the limiter's headers are already set.
 */
export const orgGuardNotFound: ContractFixture = {
  source: "middleware/tenant_guard.go TenantGuardWithOrgID (c.AbortWithStatus(404))",
  status: 404,
  headers: rateLimitHeaders(598, 52),
  body: "",
};

/**
 * gin-contrib/cors v1.7.7 (router/router.go Setup: cors.New with CORS_ORIGINS): a request whose
 * Origin is neither "http://"+Host nor "https://"+Host nor listed in CORS_ORIGINS →
 * c.AbortWithStatus(403), before the limiter: nothing but the status.
 */
export const corsForbidden: ContractFixture = {
  source: "router/router.go Setup → gin-contrib/cors config.go (*cors).applyCors (c.AbortWithStatus(403))",
  status: 403,
  headers: {},
  body: "",
};

/**
 * middleware/ratelimit.go RateLimiter.Middleware: the client IP's bucket is empty. Retry-After
 * and X-Ratelimit-Reset are int(time.Until(window end).Seconds()): whole seconds, truncated, so
 * 0 means "less than a second". Answered before the org guard and before any auth.
 */
export function rateLimited(retryAfterSeconds: number): ContractFixture {
  return {
    source: "middleware/ratelimit.go (*RateLimiter).Middleware",
    status: 429,
    headers: {
      "Content-Type": GIN_JSON,
      ...rateLimitHeaders(0, retryAfterSeconds),
      "Retry-After": String(retryAfterSeconds),
    },
    body: `{"error":"rate limit exceeded","retry_after":${retryAfterSeconds}}`,
  };
}

/** middleware/wsauth_middleware.go AdminAuth: no bearer (ADMIN_TOKEN not sent). */
export const adminAuthRequired = routeJson(
  "middleware/wsauth_middleware.go AdminAuth (no bearer)",
  401,
  '{"error":"admin auth required"}',
);

/** middleware/wsauth_middleware.go AdminAuth: a bearer that is neither an org token nor ADMIN_TOKEN. */
export const adminAuthInvalid = routeJson(
  "middleware/wsauth_middleware.go AdminAuth (bearer is not ADMIN_TOKEN)",
  401,
  '{"error":"invalid admin auth token"}',
);

/** middleware/wsauth_middleware.go WorkspaceAuth: no bearer (and not a same-origin canvas). */
export const workspaceAuthMissing = routeJson(
  "middleware/wsauth_middleware.go WorkspaceAuth (no bearer)",
  401,
  '{"error":"missing workspace auth token"}',
);

/** middleware/wsauth_middleware.go WorkspaceAuth: a bearer that is not ADMIN_TOKEN, an org token nor this workspace's token. */
export const workspaceAuthInvalid = routeJson(
  "middleware/wsauth_middleware.go WorkspaceAuth (wsauth.ValidateToken failed)",
  401,
  '{"error":"invalid workspace auth token"}',
);

/**
 * middleware/wsauth_middleware.go abortAuthLookupError: AdminAuth's HasAnyLiveTokenGlobal or
 * orgtoken.Validate (or WorkspaceAuth's orgtoken.Validate) could not reach the database.
 */
export const authLookupUnavailable = routeJson(
  "middleware/wsauth_middleware.go abortAuthLookupError",
  503,
  '{"code":"platform_unavailable","error":"platform datastore unavailable — retry shortly"}',
);

/**
 * A path no route serves (an older platform, a wrong path prefix in MOLECULE_TENANT_URL): without
 * CANVAS_PROXY_URL the router has no NoRoute handler and gin answers its default 404 (gin.go
 * serveError, default404Body) after running the global middleware.
 */
export const ginNoRoute: ContractFixture = {
  source: "router/router.go Setup (no NoRoute without CANVAS_PROXY_URL) → gin.go serveError(default404Body)",
  status: 404,
  headers: { "Content-Type": "text/plain", ...rateLimitHeaders(570, 37), ...SECURITY_HEADERS },
  body: "404 page not found",
};

/** Paths the org guard lets through without the org header (tenantGuardAllowlist). */
const GUARD_ALLOWLIST = new Set(["/health", "/buildinfo", "/metrics", "/registry/register", "/registry/heartbeat"]);

/**
 * The middleware a request meets before its route, as the fixture server's `before` hook: the
 * CORS check on Origin, then the org guard on X-Molecule-Org-Id (the limiter and the
 * same-origin-canvas bypass, which needs CANVAS_PROXY_URL, are left out).
 */
export function platformMiddleware(orgId: string): (req: IncomingMessage) => HttpFixture | null {
  return (req) => {
    const origin = req.headers.origin;
    const host = req.headers.host ?? "";
    if (origin && origin !== `http://${host}` && origin !== `https://${host}`) return corsForbidden;
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (GUARD_ALLOWLIST.has(path) || path.startsWith("/cp/")) return null;
    return req.headers["x-molecule-org-id"] === orgId ? null : orgGuardNotFound;
  };
}
