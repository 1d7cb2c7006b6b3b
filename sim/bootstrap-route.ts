import { reportBootstrapFailure } from "./bootstrap-failure";
import { errorReply, type Reply, reply } from "./http-io";
import type { RouteContext } from "./router";
import { postgresUuid } from "./uuid";

/**
 * POST /admin/workspaces/:id/bootstrap-failed (AdminAuth), the CP's bootstrap watcher's signal:
 * 400 {"error":"invalid request body"} when the body does not bind to {error, log_tail}; then
 * one UPDATE: 200 {ok: true} when it failed a provisioning workspace, 200 {ok: true, no_change:
 * true} when no row changed — an unknown id included — so the caller does not retry; 500
 * {"error":"db update failed"} when Postgres refuses the values.
 */
export function bootstrapFailed(ctx: RouteContext): Reply {
  const request = bindRequest(ctx.rawBody);
  if (!request) return errorReply(400, "invalid request body");
  const raw = ctx.params[0] ?? "";
  const id = postgresUuid(raw);
  if (id === null) {
    ctx.world.log.printf(
      ctx.world.clock.now(),
      `BootstrapFailed: db update ${raw}: pq: invalid input syntax for type uuid: "${raw}"`,
    );
    return errorReply(500, "db update failed");
  }
  const outcome = reportBootstrapFailure(ctx.world, id, request.error, request.logTail);
  if (outcome === "db_error") return errorReply(500, "db update failed");
  return outcome === "changed" ? reply(200, { ok: true }) : reply(200, { no_change: true, ok: true });
}

/**
 * gin's ShouldBindJSON into BootstrapFailedRequest: an empty body, invalid JSON, a non-object or
 * a field of the wrong type is an error; `null` (the whole body or a field) binds to zero values.
 */
function bindRequest(raw: Buffer): { error: string; logTail: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    return null;
  }
  if (parsed === null) return { error: "", logTail: "" };
  if (typeof parsed !== "object" || Array.isArray(parsed)) return null;
  const { error, log_tail: logTail } = parsed as Record<string, unknown>;
  if (error !== undefined && error !== null && typeof error !== "string") return null;
  if (logTail !== undefined && logTail !== null && typeof logTail !== "string") return null;
  return { error: error ?? "", logTail: logTail ?? "" };
}
