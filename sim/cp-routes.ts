import { startBoot } from "./boot-flow";
import { errorReply, type Reply, reply } from "./http-io";
import { type InstanceRecord, isLive } from "./instance-table";
import type { RouteContext, RouteDef } from "./router";

/** The control plane of docs/contracts.md §2, as the seed's CPProvisioner calls it. */
export const cpRoutes: RouteDef[] = [
  {
    name: "cp.provision",
    method: "POST",
    pattern: /^\/cp\/workspaces\/provision$/,
    gate: "cp-provision",
    json: true,
    handle: provision,
  },
  { name: "cp.stop", method: "DELETE", pattern: /^\/cp\/workspaces\/([^/]+)$/, gate: "cp-provision", handle: stop },
  {
    name: "cp.status",
    method: "GET",
    pattern: /^\/cp\/workspaces\/([^/]+)\/status$/,
    gate: "cp-provision",
    handle: status,
  },
  {
    name: "cp.console",
    method: "GET",
    pattern: /^\/cp\/admin\/workspaces\/([^/]+)\/console$/,
    gate: "cp-admin",
    handle: consoleOutput,
  },
];

function provision(ctx: RouteContext): Reply {
  const body = ctx.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return errorReply(400, "body must be a JSON object");
  const { org_id: orgId, workspace_id: workspaceId, runtime, tier, env } = body as Record<string, unknown>;
  if (typeof orgId !== "string" || orgId === "") return errorReply(400, "org_id is required");
  // Cross-tenant provisioning is what the per-tenant admin token exists to stop (controlplane #118/#130).
  if (orgId !== ctx.world.options.orgId) return errorReply(403, "org mismatch");
  if (typeof workspaceId !== "string" || workspaceId === "") return errorReply(400, "workspace_id is required");
  if (typeof runtime !== "string" || runtime === "") return errorReply(400, "runtime is required");
  if (typeof tier !== "number" || !Number.isInteger(tier) || tier < 1 || tier > 4) {
    return errorReply(400, "tier must be an integer from 1 to 4");
  }
  if (env !== undefined && env !== null && (typeof env !== "object" || Array.isArray(env))) {
    return errorReply(400, "env must be an object");
  }
  const live = ctx.world.instanceTable.liveFor(workspaceId);
  if (live) return errorReply(409, `workspace already has a running instance ${live.data.instance_id}`);
  const instance = ctx.world.createInstance(workspaceId, runtime, tier);
  // A machine for a workspace the tenant knows boots its agent, which registers with the tenant
  // (PLATFORM_URL) and brings it online. The tenant's database keeps its own instance id (docs/contracts.md §5:
  // the second-machine hazard): the tenant never made this Start.
  const record = ctx.world.find(workspaceId);
  if (record && record.status !== "removed") startBoot(ctx.world, record, instance);
  const { instance_id, private_ip, state } = instance.data;
  // The seed accepts exactly 201 as success.
  return reply(201, { instance_id, private_ip, state, error: "" });
}

function lookup(ctx: RouteContext): InstanceRecord | Reply {
  const found = ctx.world.instanceTable.resolve(ctx.params[0] ?? "", ctx.url.searchParams.get("instance_id"));
  return "instance" in found ? found.instance : errorReply(found.status, found.error);
}

function isReply(value: InstanceRecord | Reply): value is Reply {
  return "status" in value;
}

function stop(ctx: RouteContext): Reply {
  const instance = lookup(ctx);
  if (isReply(instance)) return instance;
  if (isLive(instance.data.state)) ctx.world.instanceTable.stop(instance);
  return reply(200, { state: instance.data.state });
}

function status(ctx: RouteContext): Reply {
  const instance = lookup(ctx);
  if (isReply(instance)) return instance;
  // One instance whose status checks fail while the rest of the CP answers (the doctor's
  // "uncertain" finding must name that workspace and no other).
  if (ctx.world.statusBroken(instance.data.instance_id)) return errorReply(503, "status unavailable");
  return reply(200, { state: instance.data.state });
}

function consoleOutput(ctx: RouteContext): Reply {
  const instance = ctx.world.instanceTable.latestFor(ctx.params[0] ?? "");
  if (!instance) return errorReply(404, "no instance for this workspace");
  return reply(200, { output: ctx.world.consoleOf(instance) });
}
