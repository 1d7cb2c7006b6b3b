import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { errorReply, type Reply } from "./http-io";
import type { SimSecrets } from "./options";

/**
 * provision: /cp/workspaces/* — Bearer <provision secret> + X-Molecule-Admin-Token (SPEC §2).
 * admin: /cp/admin/* — Bearer <admin-route secret> + X-Molecule-Admin-Token. The provision
 *   secret must not open these unless the two are equal: the console 401 after the split.
 * tenant: Bearer <ADMIN_TOKEN> + X-Molecule-Org-Id (SPEC §3; another org is a 404).
 * sim: /_sim/* — Bearer <ADMIN_TOKEN>, so only whoever holds the env can inject faults.
 */
export type AuthGate = "provision" | "admin" | "tenant" | "sim";

const UNAUTHORIZED = errorReply(401, "unauthorized");

export function authorize(gate: AuthGate, req: IncomingMessage, secrets: SimSecrets, orgId: string): Reply | undefined {
  const bearer = header(req, "authorization");
  const adminHeader = header(req, "x-molecule-admin-token");
  switch (gate) {
    case "provision":
      return bearerMatches(bearer, secrets.provisionSecret) && matches(adminHeader, secrets.adminToken)
        ? undefined
        : UNAUTHORIZED;
    case "admin":
      return bearerMatches(bearer, secrets.adminApiToken) && matches(adminHeader, secrets.adminToken)
        ? undefined
        : UNAUTHORIZED;
    case "tenant":
      if (!bearerMatches(bearer, secrets.adminToken)) return UNAUTHORIZED;
      // The platform does not confirm that another org's workspaces exist: 404, not 403.
      return header(req, "x-molecule-org-id") === orgId ? undefined : errorReply(404, "not found");
    case "sim":
      return bearerMatches(bearer, secrets.adminToken) ? undefined : UNAUTHORIZED;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** An empty configured secret means the gate is off (self-hosted CP), as in the seed's headers. */
function bearerMatches(value: string | undefined, secret: string): boolean {
  if (secret === "") return true;
  const match = /^Bearer (.+)$/.exec(value ?? "");
  return match?.[1] !== undefined && sameSecret(match[1], secret);
}

function matches(value: string | undefined, secret: string): boolean {
  return secret === "" || (value !== undefined && sameSecret(value, secret));
}

/** Constant-time on digests, so neither the content nor the length leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
