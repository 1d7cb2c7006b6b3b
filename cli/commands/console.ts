import { renameSync, writeFileSync } from "node:fs";
import { OpsError } from "../../core/errors";
import { stringFlag, workspaceIdArg } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine, terminalSafe } from "../output";
import type { Command } from "./command";

export const consoleCommand: Command = {
  name: "console",
  usage: "console <id> [--out F] [--json]",
  summary: "Print (or save) the EC2 serial console of the workspace, read through the CP",
  flags: { out: { type: "string" } },
  async run(ctx: CommandContext) {
    const workspaceId = workspaceIdArg(ctx.parsed, "console");
    const out = stringFlag(ctx.parsed, "out");
    const output = await ctx.cpClient().console(workspaceId);
    if (out !== undefined) {
      writeAtomically(out, output);
      const bytes = Buffer.byteLength(output);
      if (ctx.json) printJson({ workspace_id: workspaceId, out, bytes });
      else printLine(`wrote ${bytes} bytes of console output to ${out}`);
    } else if (ctx.json) {
      printJson({ workspace_id: workspaceId, output });
    } else {
      // A terminal gets colours but no cursor or title escapes from a hostile console; a pipe gets the bytes.
      process.stdout.write(process.stdout.isTTY ? terminalSafe(output) : output);
      if (output && !output.endsWith("\n")) process.stdout.write("\n");
    }
    return EXIT_OK;
  },
};

/** A half-written file is never left behind under the name the user asked for. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (cause) {
    throw new OpsError("Input", `cannot write ${path}: ${(cause as NodeJS.ErrnoException).code ?? "error"}`, { cause });
  }
}
