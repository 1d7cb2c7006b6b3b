import { reportBootstrapFailure } from "../../core/ops/report-bootstrap-failure";
import { requireConfirmation, workspaceIdArg } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

export const reportFailureCommand: Command = {
  name: "report-failure",
  usage: "report-failure <id> --yes [--json]",
  summary: "Report a detected bootstrap failure (RUNTIME CRASHED) to the tenant; safe to repeat",
  flags: { yes: { type: "boolean" } },
  async run(ctx: CommandContext) {
    const workspaceId = workspaceIdArg(ctx.parsed, "report-failure");
    requireConfirmation(ctx.parsed, `report the bootstrap failure of ${workspaceId}`);
    const tenant = await ctx.tenantClient();
    const report = await reportBootstrapFailure(ctx.openStore(), tenant, workspaceId);
    if (ctx.json) printJson(report);
    else if (report.changed === false)
      printLine(`the tenant had already moved on (status ${report.status || "unknown"}): nothing changed`);
    else printLine(`reported: ${workspaceId} is now ${report.status || "(status not given)"} on the tenant`);
    return EXIT_OK;
  },
};
