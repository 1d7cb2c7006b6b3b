import { replaceFile, writeAll } from "../../core/config/private-file";
import { OpsError } from "../../core/errors";
import { exportTimeline, TIMELINE_FORMATS, type TimelineFormat } from "../../core/provlog/timeline-export";
import type { Db } from "../../core/store/open-store";
import type { TimelineFilter } from "../../core/store/timeline-query";
import { stringFlag } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine } from "../output";
import { parseTimeArg } from "../time-arg";
import type { Command } from "./command";

export const timelineCommand: Command = {
  name: "timeline",
  usage: "timeline [<id>] [--format table|jsonl|csv|provlog] [--out F] [--since T] [--until T] [--event E]",
  summary: "The provisioning timeline from the cache, oldest first; exports stream to --out",
  flags: {
    format: { type: "string" },
    out: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    event: { type: "string", multiple: true },
  },
  async run(ctx: CommandContext) {
    const [workspaceId, ...rest] = ctx.parsed.positionals;
    if (rest.length > 0) throw new OpsError("Usage", "timeline takes at most one workspace id");
    const format = chooseFormat(stringFlag(ctx.parsed, "format"), ctx.json);
    const filter: TimelineFilter = {};
    if (workspaceId !== undefined) filter.workspaceId = workspaceId;
    const since = stringFlag(ctx.parsed, "since");
    const until = stringFlag(ctx.parsed, "until");
    if (since !== undefined) filter.since = parseTimeArg("since", since);
    if (until !== undefined) filter.until = parseTimeArg("until", until);
    if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
      throw new OpsError("Usage", "--since must be before --until");
    }
    const events = ((ctx.parsed.flags.event as string[] | undefined) ?? []).flatMap((e) =>
      e
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );
    if (events.length > 0) filter.events = events;

    const out = stringFlag(ctx.parsed, "out");
    const db = ctx.openStore().db;
    if (out === undefined) {
      const count = await exportTimeline(db, filter, format, writeStdout);
      if (count === 0 && format === "table") process.stderr.write("molecule-ops: no events match\n");
      return EXIT_OK;
    }
    const count = await exportToFile(out, db, filter, format);
    if (ctx.json) printJson({ out, format, rows: count });
    else printLine(`wrote ${count} events to ${out} (${format})`);
    return EXIT_OK;
  },
};

/** `--json` asks for the stream form of JSON, JSONL; it cannot be combined with another format. */
function chooseFormat(raw: string | undefined, json: boolean): TimelineFormat {
  if (raw !== undefined && !TIMELINE_FORMATS.includes(raw as TimelineFormat)) {
    throw new OpsError("Usage", `--format must be one of ${TIMELINE_FORMATS.join(", ")}, got "${raw.slice(0, 20)}"`);
  }
  if (json && raw !== undefined && raw !== "jsonl")
    throw new OpsError("Usage", "--json writes JSONL: drop --format or use --format jsonl");
  return (raw as TimelineFormat | undefined) ?? (json ? "jsonl" : "table");
}

function writeStdout(chunk: Buffer): Promise<void> | void {
  if (process.stdout.write(chunk)) return;
  return new Promise((resolve) => process.stdout.once("drain", resolve));
}

/**
 * Written to a private temp file beside the target and renamed at the end: an interrupted export
 * never leaves a half file under the name asked for, and nobody can plant a file or a link where
 * the rows go (core/config/private-file.ts).
 */
async function exportToFile(path: string, db: Db, filter: TimelineFilter, format: TimelineFormat) {
  let count = 0;
  try {
    await replaceFile(path, async (fd) => {
      count = await exportTimeline(db, filter, format, (chunk) => writeAll(fd, chunk));
    });
    return count;
  } catch (cause) {
    if (cause instanceof OpsError) throw cause;
    throw new OpsError("Input", `cannot write ${path}: ${(cause as NodeJS.ErrnoException).code ?? "error"}`, { cause });
  }
}
