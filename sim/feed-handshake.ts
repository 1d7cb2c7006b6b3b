import type { IncomingMessage } from "node:http";
import { errorReply, type Reply } from "./http-io";
import { bearerToken, header } from "./request-headers";
import type { SimWorld } from "./state";
import { postgresUuid } from "./uuid";

/**
 * handlers/socket.go HandleConnect's own check: a canvas (or console) client sends no
 * X-Workspace-ID and needs no credential at all — a bearer is ignored. An agent connection
 * names its workspace and, when that workspace has a live token (every workspace the sim
 * knows), must present that token: only the agent holds it, and ADMIN_TOKEN is not accepted
 * here. An unknown workspace is grandfathered through.
 */
export function agentConnectionRefusal(world: SimWorld, req: IncomingMessage): Reply | undefined {
  const workspaceId = header(req, "x-workspace-id");
  if (workspaceId === "") return undefined;
  // HasAnyLiveToken's query fails on a non-uuid value.
  if (postgresUuid(workspaceId) === null) return errorReply(500, "auth check failed");
  if (!world.find(workspaceId)) return undefined;
  return bearerToken(req) === ""
    ? errorReply(401, "missing workspace auth token")
    : errorReply(401, "invalid workspace auth token");
}

/** gorilla/websocket's refusals go through http.Error: the status text, a newline, plain text. */
export function upgraderError(status: number, statusText: string): Reply {
  return {
    status,
    text: `${statusText}\n`,
    contentType: "text/plain; charset=utf-8",
    headers: { "sec-websocket-version": "13", "x-content-type-options": "nosniff" },
  };
}

/**
 * gorilla's Upgrader checks that run before the key check the ws library makes: a version other
 * than 13 is a 400, and CheckOrigin (socket.go) — which with CORS_ORIGINS configured accepts only
 * an Origin in that list (case-insensitive; no Origin and the tenant's own origin included), and
 * without it accepts any — is a 403.
 */
export function upgraderRefusal(req: IncomingMessage, corsOrigins: readonly string[] | null): Reply | undefined {
  const versions = header(req, "sec-websocket-version")
    .split(",")
    .map((v) => v.trim());
  if (!versions.includes("13")) return upgraderError(400, "Bad Request");
  if (corsOrigins === null) return undefined;
  const origin = header(req, "origin").toLowerCase();
  return corsOrigins.some((allowed) => allowed.trim().toLowerCase() === origin)
    ? undefined
    : upgraderError(403, "Forbidden");
}
