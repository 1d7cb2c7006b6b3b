import { OpsError } from "../core/errors";
import { parseCommandLine } from "./command-line";
import type { Command } from "./commands/command";
import { consoleCommand } from "./commands/console";
import { importLogCommand } from "./commands/import-log";
import { provisionCommand } from "./commands/provision";
import { simCommand } from "./commands/sim";
import { statusCommand } from "./commands/status";
import { stopCommand } from "./commands/stop";
import { syncCommand } from "./commands/sync";
import { timelineCommand } from "./commands/timeline";
import { workspacesCommand } from "./commands/workspaces";
import { CommandContext } from "./context";
import { EXIT_OK, EXIT_USAGE, exitCodeFor } from "./exit-codes";
import { printLine, reportError } from "./output";

const COMMANDS: readonly Command[] = [
  simCommand,
  statusCommand,
  consoleCommand,
  stopCommand,
  provisionCommand,
  importLogCommand,
  timelineCommand,
  syncCommand,
  workspacesCommand,
];

function usage(): string {
  const lines = ["usage: molecule-ops <command> [--db FILE] [--json] [--timeout S]", "", "commands:"];
  for (const c of COMMANDS) lines.push(`  ${c.usage.padEnd(58)} ${c.summary}`);
  lines.push("", "Exit codes: 0 done, 1 usage or configuration error, 2 upstream or input error.");
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    printLine(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  const json = rest.includes("--json");
  if (!command) {
    reportError(new OpsError("Usage", `unknown command "${name.slice(0, 40)}" (see molecule-ops --help)`), json);
    return EXIT_USAGE;
  }
  let ctx: CommandContext | undefined;
  try {
    const parsed = parseCommandLine(rest, command.flags);
    if (parsed.flags.help) {
      printLine(`usage: molecule-ops ${command.usage}\n\n${command.summary}`);
      return EXIT_OK;
    }
    ctx = new CommandContext(parsed, process.env);
    return await command.run(ctx);
  } catch (error) {
    return exitCodeFor(reportError(error, json).code);
  } finally {
    await ctx?.close().catch(() => {});
  }
}

process.exitCode = await main(process.argv.slice(2));
