import { replaceFileSync } from "../../core/config/private-file";
import { OpsError } from "../../core/errors";
import { stringFlag, workspaceIdArg } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine, terminalSafe } from "../output";
import type { Command } from "./command";

export const consoleCommand: Command = {
  name: "console",
  usage: "console <id> [--out F] [--cached] [--json]",
  summary:
    "Print (or save) the EC2 serial console, read by workspace id through the CP or the tenant; --cached shows the last one offline",
  flags: { out: { type: "string" }, cached: { type: "boolean" } },
  async run(ctx: CommandContext) {
    const workspaceId = workspaceIdArg(ctx.parsed, "console");
    const store = ctx.openStore();
    let output: string;
    let fetchedAt: number;
    if (ctx.parsed.flags.cached === true) {
      // docs/contracts.md §1: reviewable offline. The snapshot says when it was read.
      const snapshot = store.latestConsoleSnapshot(workspaceId);
      if (!snapshot) throw new OpsError("NotFound", `no console of ${workspaceId} has been read yet`);
      ({ output, fetchedAt } = snapshot);
    } else {
      try {
        output = await (await ctx.consoleReader())(workspaceId);
      } catch (error) {
        const snapshot = error instanceof OpsError ? store.latestConsoleSnapshot(workspaceId) : null;
        if (snapshot && error instanceof OpsError) {
          const when = new Date(snapshot.fetchedAt).toISOString();
          throw new OpsError(error.code, `${error.message} (a copy read ${when} is cached: add --cached)`, {
            cause: error,
          });
        }
        throw error;
      }
      fetchedAt = Date.now();
      store.recordConsoleSnapshot(workspaceId, store.resolveInstanceId(workspaceId), output, fetchedAt);
    }
    const fetched = new Date(fetchedAt).toISOString();
    const out = stringFlag(ctx.parsed, "out");
    if (out !== undefined) {
      writeAtomically(out, output);
      const bytes = Buffer.byteLength(output);
      if (ctx.json) printJson({ workspace_id: workspaceId, out, bytes, fetched_at: fetched });
      else printLine(`wrote ${bytes} bytes of console output (read ${fetched}) to ${out}`);
    } else if (ctx.json) {
      printJson({ workspace_id: workspaceId, output, fetched_at: fetched });
    } else {
      // A terminal gets colours but no cursor or title escapes from a hostile console; a pipe gets the bytes.
      process.stdout.write(process.stdout.isTTY ? terminalSafe(output) : output);
      if (output && !output.endsWith("\n")) process.stdout.write("\n");
      if (ctx.parsed.flags.cached === true) process.stderr.write(`molecule-ops: cached copy read ${fetched}\n`);
    }
    return EXIT_OK;
  },
};

/**
 * A half-written file is never left behind under the name the user asked for, and the console
 * (which may show anything the machine printed) is written through a private temp file.
 */
function writeAtomically(path: string, text: string): void {
  try {
    replaceFileSync(path, text);
  } catch (cause) {
    throw new OpsError("Input", `cannot write ${path}: ${(cause as NodeJS.ErrnoException).code ?? "error"}`, { cause });
  }
}
