import { logBugInDataDir } from "../core/config/bug-log";
import { OpsError } from "../core/errors";
import { parseCommandLine } from "./command-line";
import type { Command } from "./commands/command";
import { CommandContext } from "./context";
import { EXIT_OK, EXIT_USAGE, exitCodeFor } from "./exit-codes";
import { printLine, reportError } from "./output";

/**
 * Each command is loaded when it runs: most need neither the HTTP client nor the emulator, and
 * a CLI that scripts call in loops should start in a tenth of a second, not a quarter.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  sim: async () => (await import("./commands/sim")).simCommand,
  status: async () => (await import("./commands/status")).statusCommand,
  console: async () => (await import("./commands/console")).consoleCommand,
  stop: async () => (await import("./commands/stop")).stopCommand,
  provision: async () => (await import("./commands/provision")).provisionCommand,
  "import-log": async () => (await import("./commands/import-log")).importLogCommand,
  timeline: async () => (await import("./commands/timeline")).timelineCommand,
  sync: async () => (await import("./commands/sync")).syncCommand,
  workspaces: async () => (await import("./commands/workspaces")).workspacesCommand,
  watch: async () => (await import("./commands/watch")).watchCommand,
  restart: async () => (await import("./commands/restart")).restartCommand,
  "report-failure": async () => (await import("./commands/report-failure")).reportFailureCommand,
  serve: async () => (await import("./commands/serve")).serveCommand,
  doctor: async () => (await import("./commands/doctor")).doctorCommand,
};

async function usage(): Promise<string> {
  const lines = ["usage: molecule-ops <command> [--db FILE] [--json] [--timeout S]", "", "commands:"];
  for (const load of Object.values(COMMANDS)) {
    const c = await load();
    lines.push(`  ${c.usage.padEnd(58)} ${c.summary}`);
  }
  lines.push(
    "",
    "Exit codes: 0 done, 1 usage or configuration error, 2 upstream or input error, 3 doctor found problems.",
  );
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    printLine(await usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  const json = rest.includes("--json");
  if (!load) {
    reportError(new OpsError("Usage", `unknown command "${name.slice(0, 40)}" (see molecule-ops --help)`), json);
    return EXIT_USAGE;
  }
  const command = await load();
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
    const code = exitCodeFor(reportError(error, json).code);
    if (!(error instanceof OpsError)) {
      // A bug: the terminal got no details (they could hold anything); its cause goes, redacted, to the log.
      const log = logBugInDataDir(name, error);
      if (log) process.stderr.write(`molecule-ops: its cause is logged in ${log}\n`);
    }
    return code;
  } finally {
    await ctx?.close().catch(() => {});
  }
}

process.exitCode = await main(process.argv.slice(2));
