import type { IncomingMessage } from "node:http";
import { header, isSameOrigin } from "./request-headers";

/** Paths that must answer without the org header (health checks, scrapes, agents' boot signals). */
const ALLOWLIST: ReadonlySet<string> = new Set([
  "/health",
  "/buildinfo",
  "/metrics",
  "/registry/register",
  "/registry/heartbeat",
]);

/**
 * middleware/tenant_guard.go: on a SaaS tenant (MOLECULE_ORG_ID set) a request passes only with
 * its org id in X-Molecule-Org-Id (or in Fly-Replay-Src's `state=`), on an allowlisted path
 * (exact match), under /cp/ (proxied to the CP, which has its own auth), or, on the combined
 * tenant image, from the same origin. Anything else gets a bare 404 — not 403, not 401, and no
 * body: another org's tenant must not be inferable, so this runs before any bearer check.
 */
export function passesTenantGuard(req: IncomingMessage, path: string, orgId: string, canvasProxy: boolean): boolean {
  if (orgId === "") return true;
  if (ALLOWLIST.has(path) || path.startsWith("/cp/")) return true;
  if (header(req, "x-molecule-org-id") === orgId) return true;
  if (orgIdFromReplaySrc(header(req, "fly-replay-src")) === orgId) return true;
  return canvasProxy && isSameOrigin(req);
}

function orgIdFromReplaySrc(value: string): string {
  for (const segment of value.split(";")) {
    const part = segment.trim();
    if (part.startsWith("state=")) return part.slice(6);
  }
  return "";
}
