import { OpsError } from "../../core/errors";
import { intFlag, requireConfirmation, stringFlag, workspaceIdArg } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

const RUNTIME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Whether the tenant knows the workspace: the cache says so, or (when none is cached) the tenant itself. */
async function tenantKnows(ctx: CommandContext, workspaceId: string): Promise<string | null> {
  const row = ctx.openStore().workspaces.get(workspaceId);
  if (row && row.status !== "removed") return `status ${row.status ?? "unknown"} in the cache`;
  if (row || !ctx.env.MOLECULE_TENANT_URL) return null;
  try {
    const ws = await (await ctx.tenantClient()).getWorkspace(workspaceId);
    return `status ${ws.status ?? "unknown"} on the tenant`;
  } catch {
    return null; // unknown, removed or unreachable: nothing to warn about for certain
  }
}

export const provisionCommand: Command = {
  name: "provision",
  usage: "provision <id> --runtime R --tier T --yes [--json]",
  summary: "Start an EC2 instance through the CP for a workspace the tenant does not know, and record the mapping",
  flags: { runtime: { type: "string" }, tier: { type: "string" }, yes: { type: "boolean" } },
  async run(ctx: CommandContext) {
    const workspaceId = workspaceIdArg(ctx.parsed, "provision");
    const known = ctx.openStore().workspaceProfile(workspaceId);
    const runtime = stringFlag(ctx.parsed, "runtime") ?? known?.runtime ?? undefined;
    const tier = intFlag(ctx.parsed, "tier", 1, 4) ?? known?.tier ?? undefined;
    if (!runtime) throw new OpsError("Usage", `the runtime of ${workspaceId} is not in the cache: pass --runtime`);
    if (!RUNTIME.test(runtime)) throw new OpsError("Usage", `"${runtime.slice(0, 64)}" is not a runtime name`);
    if (tier === undefined)
      throw new OpsError("Usage", `the tier of ${workspaceId} is not in the cache: pass --tier 1-4`);
    requireConfirmation(ctx.parsed, `provision workspace ${workspaceId}`);
    const tenantSays = await tenantKnows(ctx, workspaceId);
    if (tenantSays) {
      // docs/contracts.md §5: a CP Start for a workspace the tenant knows boots it without the tenant's secrets
      // (env is the tenant's to give), and the tenant keeps its own instance id: a second machine.
      process.stderr.write(
        `molecule-ops: warning: the tenant knows ${workspaceId} (${tenantSays}): this Start boots a machine without the tenant's secrets, and the tenant keeps its own instance id; to bring it back, restart it (molecule-ops restart ${workspaceId} --yes)\n`,
      );
    }
    const platformUrl = ctx.env.MOLECULE_TENANT_URL ?? "";
    const r = await (await ctx.cpClient()).start({ workspaceId, runtime, tier, platformUrl });
    if (ctx.json) {
      printJson({ workspace_id: workspaceId, instance_id: r.instanceId, state: r.state, private_ip: r.privateIp });
    } else {
      printLine(`started ${r.instanceId} (${r.state || "state unknown"}) for workspace ${workspaceId}`);
    }
    return EXIT_OK;
  },
};
