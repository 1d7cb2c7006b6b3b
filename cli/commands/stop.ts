import { NO_INSTANCE_HINT } from "../../core/ops/instance-hint";
import { requireConfirmation, workspaceIdArg } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

export const stopCommand: Command = {
  name: "stop",
  usage: "stop <id> --yes [--json]",
  summary: "Terminate the workspace's EC2 instance through the CP",
  flags: { yes: { type: "boolean" } },
  async run(ctx: CommandContext) {
    const workspaceId = workspaceIdArg(ctx.parsed, "stop");
    requireConfirmation(ctx.parsed, `stop workspace ${workspaceId}`);
    const { instanceId } = await (await ctx.cpClient()).stop(workspaceId);
    if (ctx.json) printJson({ workspace_id: workspaceId, instance_id: instanceId, stopped: instanceId !== null });
    else if (instanceId) printLine(`stopped ${instanceId} (workspace ${workspaceId})`);
    else printLine(`nothing to stop: no instance on file for ${workspaceId} (${NO_INSTANCE_HINT})`);
    return EXIT_OK;
  },
};
