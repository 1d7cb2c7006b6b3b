import { errorReply, type Reply, reply } from "./http-io";
import type { RouteContext } from "./router";
import { postgresUuid } from "./uuid";

/** handlers/events.go: ORDER BY created_at DESC LIMIT 100. */
const LIMIT = 100;

/** GET /events (AdminAuth): the newest 100 recorded events. */
export function listEvents(ctx: RouteContext): Reply {
  return reply(200, ctx.world.latestEvents(LIMIT));
}

/** GET /events/:workspaceId (AdminAuth): the same for one workspace ([] for an unknown one). */
export function listWorkspaceEvents(ctx: RouteContext): Reply {
  // workspace_id is a uuid column: any other value fails the query.
  const id = postgresUuid(ctx.params[0] ?? "");
  if (id === null) return errorReply(500, "query failed");
  return reply(200, ctx.world.latestEvents(LIMIT, id));
}
