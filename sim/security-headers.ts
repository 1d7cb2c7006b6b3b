/**
 * middleware/securityheaders.go (#151): set on every answer that got past the org guard
 * (registered after it), the API paths with the strict CSP.
 */
const API_PREFIXES = [
  "/workspaces",
  "/registry",
  "/health",
  "/admin",
  "/metrics",
  "/settings",
  "/bundles",
  "/org",
  "/orgs",
  "/templates",
  "/plugins",
  "/webhooks",
  "/channels",
  "/ws",
  "/events",
  "/approvals",
];
const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; font-src 'self' data:";

export function securityHeaders(path: string): Record<string, string> {
  const api = API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  return {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "content-security-policy": api ? "default-src 'self'" : PAGE_CSP,
  };
}
