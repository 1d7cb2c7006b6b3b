import { setTimeout as sleep } from "node:timers/promises";
import { errorReply, type Reply, reply } from "./http-io";
import type { RouteContext, RouteDef } from "./router";
import type { WorkspaceRecord } from "./workspace-record";

/** The tenant platform of SPEC §3 (the parts the console uses). */
export const tenantRoutes: RouteDef[] = [
  { name: "tenant.list", method: "GET", pattern: /^\/workspaces$/, gate: "tenant", handle: list },
  { name: "tenant.get", method: "GET", pattern: /^\/workspaces\/([^/]+)$/, gate: "tenant", handle: get },
  {
    name: "tenant.restart",
    method: "POST",
    pattern: /^\/workspaces\/([^/]+)\/restart$/,
    gate: "tenant",
    handle: restart,
  },
  {
    name: "tenant.console",
    method: "GET",
    pattern: /^\/workspaces\/([^/]+)\/console$/,
    gate: "tenant",
    handle: consoleProxy,
  },
  { name: "tenant.events", method: "GET", pattern: /^\/events$/, gate: "tenant", handle: events },
  {
    name: "tenant.bootstrap-failed",
    method: "POST",
    pattern: /^\/admin\/workspaces\/([^/]+)\/bootstrap-failed$/,
    gate: "tenant",
    json: true,
    handle: bootstrapFailed,
  },
];

const NOT_FOUND = errorReply(404, "workspace not found");

function find(ctx: RouteContext): WorkspaceRecord | undefined {
  return ctx.world.find(ctx.params[0] ?? "");
}

function list(ctx: RouteContext): Reply {
  return reply(200, ctx.world.workspaces());
}

function get(ctx: RouteContext): Reply {
  const workspace = find(ctx);
  return workspace ? reply(200, ctx.world.publicWorkspace(workspace)) : NOT_FOUND;
}

function restart(ctx: RouteContext): Reply {
  const workspace = find(ctx);
  if (!workspace) return NOT_FOUND;
  if (workspace.data.status === "provisioning") return errorReply(409, "already restarting");
  ctx.world.restart(workspace);
  return reply(200, { status: "provisioning" });
}

/**
 * The platform holds no AWS credentials, so it asks the CP (SPEC §3): this reads the sim's own
 * CP state, and a fault armed on cp.console surfaces here the way the platform reports a CP
 * failure — 502 — except "slow", which only delays the answer.
 */
async function consoleProxy(ctx: RouteContext): Promise<Reply> {
  const workspace = find(ctx);
  if (!workspace) return NOT_FOUND;
  if (!ctx.world.options.cp) return errorReply(501, "no control plane");
  const fault = ctx.faults.take("cp.console");
  if (fault?.kind === "slow") await sleep(fault.delayMs, undefined, { signal: ctx.signal, ref: false });
  else if (fault) return errorReply(502, `control plane error (${fault.kind})`);
  const instance = ctx.world.instanceTable.latestFor(workspace.data.id);
  if (!instance) return errorReply(502, "console: unexpected 404");
  return reply(200, { output: ctx.world.consoleOf(instance) });
}

function events(ctx: RouteContext): Reply {
  return reply(200, ctx.world.latestEvents(100));
}

function bootstrapFailed(ctx: RouteContext): Reply {
  const workspace = find(ctx);
  if (!workspace) return NOT_FOUND;
  const body = ctx.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return errorReply(400, "body must be a JSON object");
  const { error, log_tail: logTail } = body as Record<string, unknown>;
  if (typeof error !== "string" || error === "") return errorReply(400, "error is required");
  if (logTail !== undefined && logTail !== null && typeof logTail !== "string") {
    return errorReply(400, "log_tail must be a string");
  }
  return reply(200, ctx.world.reportBootstrapFailure(workspace, error, logTail ?? ""));
}
