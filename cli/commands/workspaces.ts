import { stripControlChars } from "../../core/config/redact";
import { OpsError } from "../../core/errors";
import { type ShownStatus, shownStatus } from "../../core/ops/shown-status";
import { isGone, isStale, readSyncState } from "../../core/ops/sync";
import type { WorkspaceRow } from "../../core/store/workspace-rows";
import { intFlag, stringFlag } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

const DEFAULT_STALE_AFTER_MINUTES = 10;
const MINUTE = 60_000;

export const workspacesCommand: Command = {
  name: "workspaces",
  usage: "workspaces [--status S] [--runtime R] [--tier T] [--stale-after MINUTES] [--json]",
  summary: "List the cached workspaces with status, instance and as-of time (no network)",
  flags: {
    status: { type: "string" },
    runtime: { type: "string" },
    tier: { type: "string" },
    "stale-after": { type: "string" },
  },
  async run(ctx: CommandContext) {
    if (ctx.parsed.positionals.length > 0) throw new OpsError("Usage", "workspaces takes no arguments (use filters)");
    const status = stringFlag(ctx.parsed, "status");
    const runtime = stringFlag(ctx.parsed, "runtime");
    const tier = intFlag(ctx.parsed, "tier", 0, 99);
    const staleAfterMs = (intFlag(ctx.parsed, "stale-after", 0, 525_600) ?? DEFAULT_STALE_AFTER_MINUTES) * MINUTE;
    // docs/contracts.md §1: the last known state stays readable offline; this reads the cache only.
    const store = ctx.openStore();
    const rows = store.workspaces.list({ status, runtime, tier });
    const sync = readSyncState(store);
    const now = Date.now();
    const listed = rows.map((row) => ({
      row,
      stale: isStale(row, now, staleAfterMs),
      gone: isGone(row, sync.lastSyncAt),
    }));

    if (ctx.json) {
      printJson(
        listed.map(({ row, stale, gone }) => ({
          id: row.id,
          name: row.name,
          status: row.status,
          // What the console shows: the tenant's word unless a check, a crash or doubt overrides it.
          shown: shownJson(shownStatus(row)),
          runtime: row.runtime,
          tier: row.tier,
          parent_id: row.parentId,
          instance_id: row.instanceId,
          as_of: new Date(row.asOf).toISOString(),
          last_seen_at: row.lastSeenAt === null ? null : new Date(row.lastSeenAt).toISOString(),
          stale,
          gone,
          extra: row.extra,
        })),
      );
      return EXIT_OK;
    }

    if (rows.length === 0) {
      const cached = store.workspaces.count();
      printLine(
        cached === 0
          ? "no workspaces cached yet: run molecule-ops sync"
          : `no cached workspace matches these filters (${cached} cached)`,
      );
      return EXIT_OK;
    }
    printTable(listed, now);
    const staleCount = listed.filter((l) => l.stale).length;
    const goneCount = listed.filter((l) => l.gone).length;
    let summary = `${rows.length} workspace${rows.length === 1 ? "" : "s"}`;
    if (staleCount || goneCount) summary += ` (${staleCount} stale, ${goneCount} gone)`;
    if (sync.lastSyncAt !== null)
      summary += `; last sync ${isoSeconds(sync.lastSyncAt)} (${age(now - sync.lastSyncAt)})`;
    printLine(summary);
    // A committed sync clears the error record, so one that is there is newer than the data shown.
    if (sync.lastError) {
      printLine(`last sync attempt failed${sync.lastError.partial ? " in part" : ""}: ${cell(sync.lastError.message)}`);
    }
    return EXIT_OK;
  },
};

function printTable(listed: Array<{ row: WorkspaceRow; stale: boolean; gone: boolean }>, now: number): void {
  const header = ["NAME", "ID", "STATUS", "RUNTIME", "TIER", "INSTANCE", "AS OF", ""];
  const lines = listed.map(({ row, stale, gone }) => [
    cell(row.name),
    cell(row.id),
    cell(shownStatus(row).status),
    cell(row.runtime),
    row.tier === null ? "-" : String(row.tier),
    cell(row.instanceId),
    `${isoSeconds(row.asOf)} (${age(now - row.asOf)})`,
    [gone ? "gone" : "", stale ? "stale" : ""].filter(Boolean).join(" "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  for (const line of [header, ...lines]) {
    printLine(
      line
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
  }
}

/** Tenant text reaches a terminal: no control sequences, one line, bounded. */
function cell(value: string | null): string {
  if (value === null || value === "") return "-";
  const clean = stripControlChars(value);
  return clean.length > 64 ? `${clean.slice(0, 63)}…` : clean;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "3m ago": how old the data is, at a glance. */
function age(ms: number): string {
  if (ms < 1000) return "just now";
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ago`;
  return `${Math.floor(h / 24)}d ago`;
}

function shownJson(s: ShownStatus) {
  return {
    status: s.status,
    source: s.source,
    as_of: new Date(s.asOf).toISOString(),
    since: s.since === null ? null : new Date(s.since).toISOString(),
    detail: s.detail,
  };
}
