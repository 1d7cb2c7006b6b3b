import { NO_INSTANCE_HINT } from "../../core/ops/instance-hint";
import { workspaceIdArg } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK, EXIT_UPSTREAM } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

export const statusCommand: Command = {
  name: "status",
  usage: "status <id> [--json]",
  summary: "Is the workspace's instance running? (asks the CP; uncertain answers exit 2)",
  flags: {},
  async run(ctx: CommandContext) {
    const workspaceId = workspaceIdArg(ctx.parsed, "status");
    const r = await (await ctx.cpClient()).isRunning(workspaceId);
    if (ctx.json) {
      printJson({
        workspace_id: r.workspaceId,
        instance_id: r.instanceId,
        running: r.running,
        error: r.error?.message ?? null,
        error_code: r.error?.code ?? null,
      });
    } else if (r.error) {
      // docs/contracts.md §5: an error is "uncertain", never "dead".
      printLine(`${workspaceId}  ${r.instanceId ?? "-"}  uncertain (${r.error.message})`);
    } else {
      const state = r.instanceId ? (r.running ? "running" : "not running") : "not running (no instance on file)";
      printLine(`${workspaceId}  ${r.instanceId ?? "-"}  ${state}`);
    }
    if (r.error) process.stderr.write(`molecule-ops: ${r.error.message}\n`);
    else if (r.instanceId === null) process.stderr.write(`molecule-ops: no instance on file: ${NO_INSTANCE_HINT}\n`);
    return r.error ? EXIT_UPSTREAM : EXIT_OK;
  },
};
