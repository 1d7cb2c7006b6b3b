import { parseArgs } from "node:util";
import { isWorkspaceId } from "../core/api/field-rules";
import { OpsError } from "../core/errors";

export interface FlagSpec {
  type: "string" | "boolean";
  multiple?: boolean;
}

/** Flags every command accepts (docs/cli.md). */
export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  db: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean" },
  timeout: { type: "string" },
};

export interface ParsedCommandLine {
  positionals: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

/** Strict parsing: an unknown or malformed flag is a usage error, never silently ignored. */
export function parseCommandLine(argv: string[], flags: Record<string, FlagSpec>): ParsedCommandLine {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...GLOBAL_FLAGS, ...flags },
      strict: true,
      allowPositionals: true,
    });
    return { positionals, flags: values as ParsedCommandLine["flags"] };
  } catch (error) {
    throw new OpsError("Usage", (error as Error).message.replace(/\. To specify a positional.*$/s, ""));
  }
}

export function stringFlag(parsed: ParsedCommandLine, name: string): string | undefined {
  const value = parsed.flags[name];
  return typeof value === "string" ? value : undefined;
}

export function intFlag(parsed: ParsedCommandLine, name: string, min: number, max: number): number | undefined {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new OpsError("Usage", `--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** Exactly one workspace id, shaped like one, so it can be put in a URL path safely. */
export function workspaceIdArg(parsed: ParsedCommandLine, command: string): string {
  const [id, ...rest] = parsed.positionals;
  if (id === undefined) throw new OpsError("Usage", `${command} needs a workspace id: molecule-ops ${command} <id>`);
  if (rest.length > 0)
    throw new OpsError("Usage", `${command} takes one workspace id, got ${parsed.positionals.length}`);
  if (!isWorkspaceId(id)) throw new OpsError("Usage", `"${id.slice(0, 64)}" is not a workspace id`);
  return id;
}

export function requireConfirmation(parsed: ParsedCommandLine, what: string): void {
  if (parsed.flags.yes !== true) throw new OpsError("Usage", `refusing to ${what} without --yes`);
}
