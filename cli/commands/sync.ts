import { OpsError } from "../../core/errors";
import { syncTenant } from "../../core/ops/sync";
import type { CommandContext } from "../context";
import { EXIT_OK, EXIT_UPSTREAM } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

export const syncCommand: Command = {
  name: "sync",
  usage: "sync [--json]",
  summary: "Pull the tenant's workspaces and latest events into the local cache",
  flags: {},
  async run(ctx: CommandContext) {
    if (ctx.parsed.positionals.length > 0) throw new OpsError("Usage", "sync takes no arguments");
    // Configuration first: a missing variable is exit 1 before the disk or the network is touched.
    const tenant = await ctx.tenantClient();
    const store = ctx.openStore();
    const report = await syncTenant(store, tenant);
    if (ctx.json) {
      printJson(report);
    } else {
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
      printLine(
        `synced ${plural(report.workspaces, "workspace")} as of ${report.as_of}: ${report.added} added, ` +
          `${report.updated} updated, ${report.unchanged} unchanged, ${report.gone} gone, ${report.skipped} skipped; ` +
          plural(report.events_added, "new event"),
      );
      if (report.without_instance > 0) {
        printLine(
          `${report.without_instance} of them have no instance on file (the tenant API never says which): ` +
            "import the tenant's server log (molecule-ops import-log FILE) to learn them for status checks and Stop",
        );
      }
    }
    // The workspaces are committed; the events are not, which is still an upstream error (exit 2).
    if (report.events_error !== null) {
      process.stderr.write(`molecule-ops: events not synced: ${report.events_error}\n`);
      return EXIT_UPSTREAM;
    }
    return EXIT_OK;
  },
};
