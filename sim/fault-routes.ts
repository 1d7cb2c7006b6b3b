import { parseFaultSpec } from "./fault-spec";
import { validateFault } from "./faults";
import { errorReply, type Reply, reply } from "./http-io";
import type { RouteContext, RouteDef } from "./router";

/** Fault control for a person in another shell (`curl` against the running sim). */
export const faultRoutes: RouteDef[] = [
  { name: "sim.faults", method: "GET", pattern: /^\/_sim\/faults$/, gate: "sim", handle: listFaults },
  { name: "sim.faults", method: "POST", pattern: /^\/_sim\/faults$/, gate: "sim", json: true, handle: setFault },
  { name: "sim.faults", method: "DELETE", pattern: /^\/_sim\/faults$/, gate: "sim", handle: clearFaults },
];

function listFaults(ctx: RouteContext): Reply {
  return reply(200, ctx.faults.list());
}

/** Body: `{route, fault, times?}`, or `{spec: "cp.status=503x2"}` as on the command line. */
function setFault(ctx: RouteContext): Reply {
  const body = ctx.body as Record<string, unknown> | null;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return errorReply(400, "body must be a JSON object");
  try {
    if (typeof body.spec === "string") {
      const spec = parseFaultSpec(body.spec);
      ctx.faults.set(spec.route, spec.fault, spec.times === undefined ? {} : { times: spec.times });
    } else {
      if (typeof body.route !== "string") return errorReply(400, "route is required");
      if (body.times !== undefined && typeof body.times !== "number") return errorReply(400, "times must be a number");
      ctx.faults.set(body.route, validateFault(body.fault), body.times === undefined ? {} : { times: body.times });
    }
  } catch (error) {
    return errorReply(400, (error as Error).message);
  }
  return reply(201, ctx.faults.list());
}

function clearFaults(ctx: RouteContext): Reply {
  const route = ctx.url.searchParams.get("route");
  ctx.faults.clear(route ?? undefined);
  return reply(200, ctx.faults.list());
}
