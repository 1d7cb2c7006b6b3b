import { z } from "zod";
import { type ImportReport, importProvlog } from "../provlog/ingest";
import { type ByteSink, exportTimeline } from "../provlog/timeline-export";
import type { TimelineFilter, TimelineRow } from "../store/timeline-query";
import { isoOrMs, workspaceId } from "./input-rules";
import { isoOrNull } from "./iso-time";
import type { ImportReportView } from "./ops-client";
import type { HandlersOf, TimelineFilterInput } from "./schemas";
import type { Sessions } from "./sessions";
import type { TimelineView } from "./views";

export const timelineFilter = z
  .object({
    workspaceId: workspaceId.optional(),
    since: isoOrMs.optional(),
    until: isoOrMs.optional(),
    events: z.array(z.string().min(1).max(200)).max(50).optional(),
  })
  .strict();

export const timelineRequests = {
  "timeline.list": z
    .object({
      filter: timelineFilter,
      limit: z.number().int().min(1).max(5000).optional(),
    })
    .strict(),
} as const;

/** What an export asks for: which events, as CSV, JSON Lines or the platform's own log lines (provlog). */
export const exportInput = z.object({ filter: timelineFilter, format: z.enum(["csv", "jsonl", "provlog"]) }).strict();
export type ExportInput = z.infer<typeof exportInput>;

/** The timeline's rows, at most `limit` (1000 unless asked), and whether there were more. */
export function timelineHandlers(sessions: Sessions): HandlersOf<keyof typeof timelineRequests> {
  return {
    "timeline.list": async ({ filter, limit }) => {
      const s = await sessions.current();
      const max = limit ?? 1000;
      const rows = [];
      for (const row of s.store.timeline(timelineFilterOf(filter))) {
        if (rows.length === max) return { rows, more: true };
        rows.push(timelineView(row));
      }
      return { rows, more: false };
    },
  };
}

/** CSV, JSONL or provlog of the timeline through the same code as the CLI; returns the rows written. */
export async function exportTimelineOf(sessions: Sessions, input: ExportInput, sink: ByteSink): Promise<number> {
  const s = await sessions.current();
  return exportTimeline(s.store.db, timelineFilterOf(input.filter), input.format, sink);
}

/** A provlog file or stream into the active profile's cache. */
export async function importLogInto(sessions: Sessions, source: string | NodeJS.ReadableStream): Promise<ImportReport> {
  const s = await sessions.current();
  // A tenant's log is upstream text: the profile's secrets are removed before it is stored.
  return importProvlog(s.store, source, { redactor: s.tenant.redactor });
}

/** The import report as the API shows it: counts and the first malformed lines, nothing else. */
export function importReportView(report: ImportReport): ImportReportView {
  return {
    lines: report.lines,
    events: report.events,
    skipped: report.skipped,
    malformed: report.malformed,
    workspaces: report.workspaces,
    added: report.added,
    duplicates: report.duplicates,
    bindings: report.bindings,
    first_malformed: report.first_malformed.map((m) => ({ line: m.line, reason: m.reason, event: m.event })),
  };
}

export function timelineView(r: TimelineRow): TimelineView {
  return {
    id: r.id,
    ts: isoOrNull(r.ts),
    event: r.event,
    workspaceId: r.workspace_id,
    instanceId: r.instance_id,
    fields: r.fields,
    source: r.source,
  };
}

export function timelineFilterOf(f: TimelineFilterInput): TimelineFilter {
  const ms = (v: string | number | undefined) =>
    v === undefined ? undefined : typeof v === "number" ? v : Date.parse(v);
  const since = ms(f.since);
  const until = ms(f.until);
  return {
    ...(f.workspaceId ? { workspaceId: f.workspaceId } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(f.events?.length ? { events: f.events } : {}),
  };
}
