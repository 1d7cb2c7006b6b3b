import type { FlagSpec } from "../command-line";
import type { CommandContext } from "../context";

export interface Command {
  name: string;
  usage: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  /** Resolves to the exit code; throws OpsError for failures. */
  run(ctx: CommandContext): Promise<number>;
}
