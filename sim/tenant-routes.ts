import { bootstrapFailed } from "./bootstrap-route";
import { consoleProxy } from "./console-route";
import { listEvents, listWorkspaceEvents } from "./events-routes";
import { agentConnectionRefusal, upgraderError } from "./feed-handshake";
import { type Reply, reply } from "./http-io";
import { restartWorkspace } from "./restart-route";
import type { RouteContext, RouteDef } from "./router";
import { getWorkspace, listWorkspaces } from "./workspace-routes";

/**
 * The tenant platform of docs/contracts.md §3 (the parts the console uses), with router.go's auth groups:
 * AdminAuth for the list, the events, the console and bootstrap-failed; WorkspaceAuth for
 * /workspaces/:id/restart; GET /workspaces/:id open. The org guard ran before all of them.
 */
export const tenantRoutes: RouteDef[] = [
  {
    name: "tenant.health",
    method: "GET",
    pattern: /^\/health$/,
    gate: "open",
    handle: () => reply(200, { status: "ok" }),
  },
  {
    name: "tenant.buildinfo",
    method: "GET",
    pattern: /^\/buildinfo$/,
    gate: "open",
    handle: () => reply(200, { git_sha: "83454e5efd" }),
  },
  { name: "tenant.list", method: "GET", pattern: /^\/workspaces$/, gate: "tenant-admin", handle: listWorkspaces },
  { name: "tenant.get", method: "GET", pattern: /^\/workspaces\/([^/]+)$/, gate: "open", handle: getWorkspace },
  {
    name: "tenant.restart",
    method: "POST",
    pattern: /^\/workspaces\/([^/]+)\/restart$/,
    gate: "tenant-workspace",
    handle: restartWorkspace,
  },
  {
    name: "tenant.console",
    method: "GET",
    pattern: /^\/workspaces\/([^/]+)\/console$/,
    gate: "tenant-admin",
    handle: consoleProxy,
  },
  { name: "tenant.events", method: "GET", pattern: /^\/events$/, gate: "tenant-admin", handle: listEvents },
  {
    name: "tenant.workspace-events",
    method: "GET",
    pattern: /^\/events\/([^/]+)$/,
    gate: "tenant-admin",
    handle: listWorkspaceEvents,
  },
  {
    name: "tenant.bootstrap-failed",
    method: "POST",
    pattern: /^\/admin\/workspaces\/([^/]+)\/bootstrap-failed$/,
    gate: "tenant-admin",
    handle: bootstrapFailed,
  },
  // A plain GET /ws (no upgrade): HandleConnect checks an agent's token, then gorilla refuses it.
  { name: "tenant.ws-plain", method: "GET", pattern: /^\/ws$/, gate: "open", handle: plainFeedRequest },
];

function plainFeedRequest(ctx: RouteContext): Reply {
  return agentConnectionRefusal(ctx.world, ctx.req) ?? upgraderError(400, "Bad Request");
}
