import { OpsError } from "../../core/errors";
import { diagnose, type Finding } from "../../core/ops/doctor";
import { actOnFinding } from "../../core/ops/doctor-actions";
import { RESTART_VIAS, RestartCoordinator, type RestartVia } from "../../core/ops/restart";
import { intFlag, requireConfirmation, stringFlag } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_FINDINGS, EXIT_OK } from "../exit-codes";
import { printJson, printLine, terminalSafe } from "../output";
import type { Command } from "./command";

export const doctorCommand: Command = {
  name: "doctor",
  usage: "doctor [--concurrency N] [--json] | doctor --act ID --yes [--via tenant|cp]",
  summary: "Find orphaned instances, malformed bindings, stuck boots, failed stops; exit 3 when any",
  flags: {
    act: { type: "string" },
    yes: { type: "boolean" },
    via: { type: "string" },
    concurrency: { type: "string" },
  },
  async run(ctx: CommandContext) {
    if (ctx.parsed.positionals.length > 0) throw new OpsError("Usage", "doctor takes no arguments");
    const act = stringFlag(ctx.parsed, "act");
    const via = (stringFlag(ctx.parsed, "via") ?? "tenant") as RestartVia;
    if (!RESTART_VIAS.includes(via))
      throw new OpsError("Usage", `--via takes tenant or cp, got "${String(via).slice(0, 20)}"`);
    if (act !== undefined) requireConfirmation(ctx.parsed, `act on finding ${act}`);
    const concurrency = intFlag(ctx.parsed, "concurrency", 1, 256);
    const store = ctx.openStore();
    const tenant = await ctx.tenantClient();
    const cp = await ctx.cpClient();
    const readConsole = await ctx.consoleReader();
    const report = await diagnose({ store, tenant, cp, readConsole, ...(concurrency ? { concurrency } : {}) });

    if (act !== undefined) {
      const finding = report.findings.find((f) => f.id === act);
      if (!finding)
        throw new OpsError("NotFound", `no current finding ${act.slice(0, 20)}: run molecule-ops doctor to list them`);
      const restarts = new RestartCoordinator({ store, cp, tenant });
      const result = await actOnFinding(finding, { store, tenant, cp, restarts, readConsole }, via);
      if (ctx.json) printJson(result);
      else printLine(`${finding.kind} ${finding.workspace_id}: ${terminalSafe(result.detail)}`);
      return EXIT_OK;
    }

    if (ctx.json) printJson(report);
    else printReport(report.findings, report);
    return report.findings.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};

function printReport(
  findings: Finding[],
  r: { workspaces: number; instances_checked: number; checks_uncertain: number; tenant: string; ms: number },
): void {
  for (const f of findings) {
    printLine(
      `${f.severity.toUpperCase().padEnd(8)} ${f.kind.padEnd(18)} ${terminalSafe(f.workspace_name ?? f.workspace_id)}  [${f.id}]`,
    );
    printLine(`         ${terminalSafe(f.summary)}`);
    for (const e of f.evidence) printLine(`         - ${e.at ?? "(no time)"} ${e.source}: ${terminalSafe(e.text)}`);
    if (f.action) printLine(`         → ${f.action.label}: molecule-ops doctor --act ${f.id} --yes`);
  }
  const tenant = r.tenant === "ok" ? "" : "; the tenant was unreachable, so orphans and stuck boots were not checked";
  const doubt = r.checks_uncertain
    ? `; ${r.checks_uncertain} status checks got no answer (not counted as evidence)`
    : "";
  printLine(
    `${findings.length === 0 ? "healthy" : `${findings.length} finding${findings.length === 1 ? "" : "s"}`}: ${r.workspaces} workspaces, ${r.instances_checked} instances checked in ${(r.ms / 1000).toFixed(1)} s${doubt}${tenant}`,
  );
}
