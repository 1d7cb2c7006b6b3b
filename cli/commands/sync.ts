import { OpsError } from "../../core/errors";
import { syncTenant } from "../../core/ops/sync";
import { TenantClient, type TenantClientOptions } from "../../core/tenant/tenant-client";
import { readTenantConfig } from "../../core/tenant/tenant-config";
import { type ParsedCommandLine, stringFlag } from "../command-line";
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
    const config = readTenantConfig(ctx.env);
    const options = timeoutOption(ctx.parsed);
    const store = ctx.openStore();
    const tenant = new TenantClient(config, options);
    try {
      const report = await syncTenant(store, tenant);
      if (ctx.json) {
        printJson(report);
      } else {
        const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
        printLine(
          `synced ${plural(report.workspaces, "workspace")} as of ${report.as_of}: ${report.added} added, ` +
            `${report.updated} updated, ${report.unchanged} unchanged, ${report.gone} gone, ${report.skipped} skipped; ` +
            `${plural(report.bindings_changed, "binding")} changed; ${plural(report.events_added, "new event")}`,
        );
      }
      // The workspaces are committed; the events are not, which is still an upstream error (exit 2).
      if (report.events_error !== null) {
        process.stderr.write(`molecule-ops: events not synced: ${report.events_error}\n`);
        return EXIT_UPSTREAM;
      }
      return EXIT_OK;
    } finally {
      await tenant.close();
    }
  },
};

/** `--timeout S` overrides the 30 s tenant deadline, as it does the CP's for the other commands. */
function timeoutOption(parsed: ParsedCommandLine): TenantClientOptions {
  const raw = stringFlag(parsed, "timeout");
  if (raw === undefined) return {};
  const seconds = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || seconds <= 0 || seconds > 3600) {
    throw new OpsError("Usage", `--timeout takes seconds, more than 0 and at most 3600, got "${raw}"`);
  }
  return { timeoutMs: Math.round(seconds * 1000) };
}
