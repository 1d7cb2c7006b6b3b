import { OpsError } from "../../core/errors";
import { RESTART_VIAS, RestartCoordinator, type RestartStep, type RestartVia } from "../../core/ops/restart";
import { requireConfirmation, stringFlag, workspaceIdArg } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK, EXIT_UPSTREAM, exitCodeFor } from "../exit-codes";
import { printJson, printLine, terminalSafe } from "../output";
import { secondsFlag } from "../seconds-flag";
import type { Command } from "./command";

export const restartCommand: Command = {
  name: "restart",
  usage: "restart <id> --yes [--via cp|tenant] [--follow S] [--json]",
  summary:
    "Restart a workspace through its tenant and follow it (--via cp first Stops the instance on file through the CP)",
  flags: { yes: { type: "boolean" }, via: { type: "string" }, follow: { type: "string" } },
  async run(ctx: CommandContext) {
    const workspaceId = workspaceIdArg(ctx.parsed, "restart");
    const via = (stringFlag(ctx.parsed, "via") ?? "tenant") as RestartVia;
    if (!RESTART_VIAS.includes(via)) {
      throw new OpsError("Usage", `--via takes ${RESTART_VIAS.join(" or ")}, got "${String(via).slice(0, 20)}"`);
    }
    const followTimeoutMs = secondsFlag(ctx.parsed, "follow", 3600);
    requireConfirmation(ctx.parsed, `restart workspace ${workspaceId} via ${via}`);
    const store = ctx.openStore();
    // Both methods end with the tenant's restart; via cp Stops the instance on file before it.
    const coordinator = new RestartCoordinator({
      store,
      cp: via === "cp" ? await ctx.cpClient() : null,
      tenant: await ctx.tenantClient(),
    });
    const show = (s: RestartStep) => {
      if (!ctx.json) printLine(`${s.at}  ${s.step}${s.detail ? `  ${terminalSafe(s.detail)}` : ""}`);
    };
    const handle = coordinator.restart({
      workspaceId,
      via,
      onStep: show,
      ...(followTimeoutMs === undefined ? {} : { followTimeoutMs }),
    });
    // Ctrl-C cancels while nothing was sent; after that the restart is the platform's, and only
    // the following stops (the cache then shows this restart as interrupted at its last step).
    const onSignal = () => {
      if (handle.cancel()) return;
      process.stderr.write(
        `molecule-ops: the restart of ${workspaceId} was already sent; stopped following it (see the timeline)\n`,
      );
      process.exit(EXIT_UPSTREAM);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      const outcome = await handle.done;
      if (ctx.json) printJson(outcome);
      if (outcome.outcome === "done") {
        if (!ctx.json)
          printLine(
            `restarted ${workspaceId} via ${via}${outcome.stopped_instance_id ? ` (stopped ${outcome.stopped_instance_id} first)` : ""}; ` +
              "its new instance is in the tenant's server log",
          );
        return EXIT_OK;
      }
      if (outcome.outcome === "noop") {
        if (!ctx.json) printLine(`nothing to restart: ${terminalSafe(outcome.message ?? "the tenant did nothing")}`);
        return EXIT_OK;
      }
      process.stderr.write(`molecule-ops: restart ${outcome.outcome}: ${outcome.error ?? "unknown error"}\n`);
      // A configuration error (the org guard's empty 404) is exit 1 like everywhere else; the rest 2.
      return outcome.error_code ? exitCodeFor(outcome.error_code) : EXIT_UPSTREAM;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};
