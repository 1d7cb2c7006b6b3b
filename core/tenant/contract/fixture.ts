/**
 * Contract fixtures: what the tenant platform's workspace server answers, written from reading
 * its code (EnterOS-AI/enteros-core at 83454e5efd, workspace-server/internal/; docs/contracts.md §3), not
 * from what our emulator does. Each fixture names the Go file and function that writes it.
 *
 * How the bytes come out of the platform, which every fixture follows:
 * - Handlers answer with gin's c.JSON / c.AbortWithStatusJSON (gin v1.12, default build), that is
 *   Go's encoding/json: compact, map keys (gin.H, map[string]interface{}) sorted, struct fields in
 *   declaration order, nil pointers and nil maps as null, and `<`, `>`, `&`, U+2028, U+2029
 *   escaped as \u003c, \u003e, \u0026, \u2028, \u2029 (non-ASCII text is otherwise sent as is).
 *   Content-Type: application/json; charset=utf-8.
 * - JSONB columns (agent_card, structure_events.payload) come back from Postgres as text with
 *   jsonb's own key order (shorter keys first, then bytewise) and are passed through as
 *   json.RawMessage, which encoding/json compacts (and HTML-escapes) but does not reorder.
 * - time.Time from a TIMESTAMPTZ column (lib/pq, UTC session) is RFC 3339 with Postgres's
 *   microseconds, trailing zeros dropped (RFC3339Nano layout); time.Now().UTC() is RFC3339Nano
 *   with up to nine digits.
 * - Middleware order (router/router.go Setup): gin Logger/Recovery, CORS (gin-contrib/cors),
 *   the rate limiter, metrics, the org guard (TenantGuard), SecurityHeaders, then the route
 *   group's auth (AdminAuth / WorkspaceAuth) and the handler. So a 429 carries only the
 *   rate-limit headers, the org guard's empty 404 the rate-limit headers too, and everything
 *   after it also the security headers.
 */
import type { HttpFixture } from "../../testing/fixture-server";

export interface ContractFixture extends HttpFixture {
  /** `workspace-server/internal/<file> <function>`: where the platform writes this answer. */
  source: string;
  /** Set on an answer no platform code writes (a robustness case): why it is here anyway. */
  synthetic?: string;
}

/** The tenant's org id (MOLECULE_ORG_ID on the tenant, X-Molecule-Org-Id on our requests). */
export const ORG_ID = "2b7e4c1a-9f3d-4a6e-8c5b-0d1f2a3b4c5d";
/** A fake ADMIN_TOKEN: planted in error answers to check it never reaches a message. */
export const ADMIN_TOKEN = "mol_admin_Qx7vT2pL9sK4wN8rB3mZ6cH1";

/** Workspaces of the fixtures (workspaces.id is a UUID: gen_random_uuid()). */
export const WS = {
  /** online, claude-code, registered with an agent card. */
  lead: "3f9a2c1e-7b4d-4e8f-a6c2-9d1e5b7a3c40",
  /** provisioning, child of lead, never registered. */
  analyst: "8c1d4e7a-2f5b-4a9c-b3e6-1f7d2c9a5e81",
  /** failed: the CP's bootstrap watcher saw RUNTIME CRASHED on its serial console. */
  writer: "5d0c8b3a-6e2f-4c1d-9a7b-3e8f0c2d6a14",
  /** degraded, with a budget limit. */
  reviewer: "e2b6f9d3-4c7a-4b1e-9f8d-5a3c1e7b2d96",
  /** external, created without a URL: awaiting_agent. */
  poller: "a4e7c2f9-1b8d-4f3a-8e5c-6d2b9f0a7c35",
  /** hibernated. */
  archivist: "c7a3e1d5-9b2f-4e6c-a8d4-2f6b0e9c3a57",
  /** removed (GET answers 410); not listed. */
  removed: "9e5d2a7c-3f1b-4d8e-b6a9-7c4e1f2d8b03",
  /** removed with its parent (cascade). */
  removedChild: "1a8f3c6e-5d2b-4f7a-9c1e-4b6d8a2f5e79",
} as const;

export const GIN_JSON = "application/json; charset=utf-8";

/**
 * middleware/ratelimit.go RateLimiter.Middleware: set on every answer that passed the limiter
 * (Go canonicalises the names: X-Ratelimit-*); Reset is the whole seconds left in the window.
 */
export function rateLimitHeaders(remaining: number, resetSeconds: number): Record<string, string> {
  return {
    "X-Ratelimit-Limit": "600",
    "X-Ratelimit-Remaining": String(remaining),
    "X-Ratelimit-Reset": String(resetSeconds),
  };
}

/** middleware/securityheaders.go SecurityHeaders, for an API path (/workspaces, /events, /admin, /ws). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  "Content-Security-Policy": "default-src 'self'",
};

/** The headers of an answer a route's handler or auth middleware wrote with c.JSON. */
export const ROUTE_JSON_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": GIN_JSON,
  ...rateLimitHeaders(571, 38),
  ...SECURITY_HEADERS,
};

/** A JSON answer written past the org guard (a handler's or the route's auth middleware's). */
export function routeJson(source: string, status: number, body: string): ContractFixture {
  return { source, status, headers: ROUTE_JSON_HEADERS, body };
}

/**
 * A JavaScript value as Go's encoding/json writes it: compact, `<`, `>`, `&`, U+2028 and U+2029
 * escaped, control characters as \n, \r, \t, \b, \f or \u00XX (lower-case hex), as
 * JSON.stringify does. Key order is the object's own, so it is the caller's to get right. Used
 * for long texts (a serial console, a traceback) inside fixtures that are otherwise literal.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
