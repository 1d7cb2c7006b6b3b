import { reportBootstrapFailure } from "../../core/ops/report-bootstrap-failure";
import { requireConfirmation, workspaceIdArg } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

export const reportFailureCommand: Command = {
  name: "report-failure",
  usage: "report-failure <id> --yes [--json]",
  summary:
    "Report a bootstrap failure (RUNTIME CRASHED on the console, read now if none is on file) to the tenant; safe to repeat",
  flags: { yes: { type: "boolean" } },
  async run(ctx: CommandContext) {
    const workspaceId = workspaceIdArg(ctx.parsed, "report-failure");
    requireConfirmation(ctx.parsed, `report the bootstrap failure of ${workspaceId}`);
    const tenant = await ctx.tenantClient();
    const report = await reportBootstrapFailure(ctx.openStore(), tenant, workspaceId, {
      readConsole: await ctx.consoleReader(),
    });
    // docs/cli.md: exactly {workspace_id, changed}; changed is false when the tenant said no_change.
    if (ctx.json) printJson({ workspace_id: report.workspace_id, changed: report.changed });
    else if (!report.changed)
      printLine(`reported ${report.error}; the tenant had already moved on (not provisioning): nothing changed`);
    else printLine(`reported ${report.error}; the tenant marked ${workspaceId} failed`);
    return EXIT_OK;
  },
};
