import { setTimeout as sleep } from "node:timers/promises";
import { errorReply, type Reply, reply } from "./http-io";
import type { RouteContext } from "./router";

const CP_ERROR = "control plane returned an error fetching console output";

/**
 * GET /workspaces/:id/console (AdminAuth), handlers/workspace_bootstrap.go Console: the tenant
 * holds no AWS credentials, so it asks the CP by workspace id (no instance id needed, and no
 * check that the workspace exists). Without a CP: 501. Any CP failure (a non-2xx — an unknown
 * workspace is the CP's 404 —, a body it cannot decode) is a 502 whose body names none of it.
 * The output is always a string. A fault armed on cp.console acts here too: "slow" delays the
 * answer, any other kind is a CP failure.
 */
export async function consoleProxy(ctx: RouteContext): Promise<Reply> {
  const { world } = ctx;
  if (!world.options.cp) return errorReply(501, "console output unavailable on this deployment (no control plane)");
  const id = ctx.params[0] ?? "";
  const fault = ctx.faults.take("cp.console");
  if (fault?.kind === "slow") await sleep(fault.delayMs, undefined, { signal: ctx.signal, ref: false });
  else if (fault) return cpFailed(ctx, id, fault.kind === "status" ? `unexpected ${fault.status}` : "decode error");
  const instance = world.instanceTable.latestFor(id);
  if (!instance) return cpFailed(ctx, id, "unexpected 404");
  return reply(200, { output: world.consoleOf(instance) });
}

function cpFailed(ctx: RouteContext, id: string, why: string): Reply {
  ctx.world.log.printf(ctx.world.clock.now(), `Console: cp get for ${id}: cp provisioner: console: ${why}`);
  return errorReply(502, CP_ERROR);
}
