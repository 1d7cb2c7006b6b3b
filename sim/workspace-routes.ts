import { formatPgTime } from "./go-time-format";
import { errorReply, type Reply, reply } from "./http-io";
import type { RouteContext } from "./router";
import { parseUuid, postgresUuid } from "./uuid";
import { toDetailJson, toListJson } from "./workspace-record";

/** GET /workspaces (AdminAuth): a plain array, no paging, the removed ones left out, ORDER BY created_at. */
export function listWorkspaces(ctx: RouteContext): Reply {
  const { world } = ctx;
  const list = world
    .records()
    .filter((record) => record.status !== "removed")
    .map((record) => toListJson(record, world.uptimeOf(record), true));
  return reply(200, list);
}

const REMOVED_HINT = "Regenerate workspace + token from the canvas → Tokens tab";

/**
 * GET /workspaces/:id (open: canvas nodes poll it without a token): 400 for an id uuid.Parse
 * refuses (#687), 404 unknown, 410 for a removed one (#2429, unless ?include_removed=true),
 * else the row less its operational fields, plus last_outbound_at.
 */
export function getWorkspace(ctx: RouteContext): Reply {
  const raw = ctx.params[0] ?? "";
  if (parseUuid(raw) === null) return errorReply(400, "invalid workspace ID");
  // uuid.Parse takes `urn:uuid:…`; the uuid column does not: the query fails.
  const id = postgresUuid(raw);
  if (id === null) return errorReply(500, "query failed");
  const record = ctx.world.find(id);
  if (!record) return errorReply(404, "workspace not found");
  if (record.status === "removed" && ctx.url.searchParams.get("include_removed") !== "true") {
    return reply(410, {
      error: "workspace removed",
      hint: REMOVED_HINT,
      id: raw,
      removed_at: formatPgTime(record.updatedMicros),
    });
  }
  return reply(200, toDetailJson(record, ctx.world.uptimeOf(record)));
}
