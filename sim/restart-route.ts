import { errorReply, type Reply, reply } from "./http-io";
import { beginRestart, pausedAncestor, type RestartBody } from "./restart-flow";
import type { RouteContext } from "./router";
import { postgresUuid } from "./uuid";

/**
 * POST /workspaces/:id/restart (WorkspaceAuth), handlers/workspace_restart.go in its order:
 * 404; 409 when an ancestor (not the workspace itself) is paused; 200 noop for an external
 * workspace (operator-driven: restarting would revoke its poller's token); 503 without a
 * provisioner; else 200 {status: "provisioning", config_dir, reset_session}. No status is
 * refused: a workspace already provisioning is restarted again.
 */
export function restartWorkspace(ctx: RouteContext): Reply {
  const id = postgresUuid(ctx.params[0] ?? "");
  // The lookup's query fails on a value the uuid column refuses: not ErrNoRows, so not a 404.
  if (id === null) return errorReply(500, "lookup failed");
  const record = ctx.world.find(id);
  if (!record) return errorReply(404, "workspace not found");
  const parent = pausedAncestor(ctx.world, record);
  if (parent !== null) return errorReply(409, `parent workspace "${parent}" is paused — resume it first`);
  if (record.runtime === "external") {
    return reply(200, {
      message: "external workspaces are operator-driven — restart your local poller; platform has nothing to restart",
      runtime: "external",
      status: "noop",
    });
  }
  if (!ctx.world.options.cp) return errorReply(503, "provisioner not available");
  const body = restartBody(ctx.rawBody);
  body.reset ||= ctx.url.searchParams.get("reset") === "true";
  const started = beginRestart(ctx.world, record, body);
  return reply(200, { config_dir: started.config_dir, reset_session: started.reset_session, status: "provisioning" });
}

/** c.ShouldBindJSON(&body) with its error ignored: whatever fields decode, defaults for the rest. */
function restartBody(raw: Buffer): RestartBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    parsed = null;
  }
  const fields =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const flag = (name: string) => fields[name] === true;
  return {
    template: typeof fields.template === "string" ? fields.template : "",
    applyTemplate: flag("apply_template"),
    reset: flag("reset"),
    rebuildConfig: flag("rebuild_config"),
  };
}
