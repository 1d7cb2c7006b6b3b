import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { errorReply, type Reply } from "./http-io";
import type { ResolvedSimOptions } from "./options";
import { bearerToken, header, isSameOrigin } from "./request-headers";

/**
 * cp-provision: /cp/workspaces/* — Bearer <provision secret> + X-Molecule-Admin-Token (docs/contracts.md §2).
 * cp-admin: /cp/admin/* — Bearer <admin-route secret> + X-Molecule-Admin-Token. The provision
 *   secret must not open these unless the two are equal: the console 401 after the split.
 * tenant-admin: the platform's AdminAuth (GET /workspaces, /events…, console, bootstrap-failed).
 * tenant-workspace: the platform's WorkspaceAuth (/workspaces/:id/* such as restart).
 * open: no bearer (GET /workspaces/:id, /health); the org guard still ran before.
 * sim: /_sim/* — Bearer <ADMIN_TOKEN>, so only whoever holds the env can inject faults.
 */
export type AuthGate = "cp-provision" | "cp-admin" | "tenant-admin" | "tenant-workspace" | "open" | "sim";

const UNAUTHORIZED = errorReply(401, "unauthorized");

export function authorize(gate: AuthGate, req: IncomingMessage, options: ResolvedSimOptions): Reply | undefined {
  const { secrets } = options;
  const adminHeader = header(req, "x-molecule-admin-token");
  switch (gate) {
    case "cp-provision":
      return bearerMatches(req, secrets.provisionSecret) && matches(adminHeader, secrets.adminToken)
        ? undefined
        : UNAUTHORIZED;
    case "cp-admin":
      return bearerMatches(req, secrets.adminApiToken) && matches(adminHeader, secrets.adminToken)
        ? undefined
        : UNAUTHORIZED;
    case "tenant-admin":
      return adminAuth(req, secrets.adminToken);
    case "tenant-workspace":
      return workspaceAuth(req, secrets.adminToken, options.canvasProxy);
    case "open":
      return undefined;
    case "sim":
      return bearerMatches(req, secrets.adminToken) ? undefined : UNAUTHORIZED;
  }
}

/** What an `unauthorized` fault answers on a route behind this gate: the gate's own refusal. */
export function unauthorizedError(gate: AuthGate): string {
  if (gate === "tenant-admin") return "invalid admin auth token";
  if (gate === "tenant-workspace") return "invalid workspace auth token";
  return "unauthorized";
}

/**
 * middleware/wsauth_middleware.go AdminAuth with ADMIN_TOKEN set: no bearer → "admin auth
 * required", any other bearer → "invalid admin auth token" (workspace tokens are refused, #684;
 * the Origin is never a credential here, #623). Without ADMIN_TOKEN the platform fails open
 * (a fresh install's Tier 1, or dev mode).
 */
function adminAuth(req: IncomingMessage, adminToken: string): Reply | undefined {
  if (adminToken === "") return undefined;
  const token = bearerToken(req);
  if (token === "") return errorReply(401, "admin auth required");
  return sameSecret(token, adminToken) ? undefined : errorReply(401, "invalid admin auth token");
}

/**
 * WorkspaceAuth: a bearer must be ADMIN_TOKEN (or the workspace's own token, which only its agent
 * holds: never the sim's clients) → otherwise "invalid workspace auth token"; no bearer passes
 * only from the same origin on the combined image, or in dev mode → "missing workspace auth token".
 */
function workspaceAuth(req: IncomingMessage, adminToken: string, canvasProxy: boolean): Reply | undefined {
  const token = bearerToken(req);
  if (token !== "") {
    return adminToken !== "" && sameSecret(token, adminToken)
      ? undefined
      : errorReply(401, "invalid workspace auth token");
  }
  if (canvasProxy && isSameOrigin(req)) return undefined;
  if (adminToken === "") return undefined;
  return errorReply(401, "missing workspace auth token");
}

/** An empty configured secret means the gate is off (self-hosted CP), as in the seed's headers. */
function bearerMatches(req: IncomingMessage, secret: string): boolean {
  if (secret === "") return true;
  const match = /^Bearer (.+)$/.exec(header(req, "authorization"));
  return match?.[1] !== undefined && sameSecret(match[1], secret);
}

function matches(value: string, secret: string): boolean {
  return secret === "" || (value !== "" && sameSecret(value, secret));
}

/** Constant-time on digests, so neither the content nor the length leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
