import type { TimelineView } from "../../core/api/views";
import type { TrailStep } from "./restart-store";

/**
 * Trail steps rebuilt from the restart's journal in the timeline (the console writes every step
 * in provlog format). Used when the restart finished before the page's progress subscription
 * reached the host: the host no longer holds its steps then, but the timeline does.
 */
export function journalSteps(rows: readonly TimelineView[], sinceMs: number): TrailStep[] {
  const steps: TrailStep[] = [];
  for (const row of rows) {
    if (!row.ts || Date.parse(row.ts) < sinceMs) continue;
    const fields = parseFields(row.fields);
    const step = stepOf(row.event, fields);
    if (!step) continue;
    steps.push({ step, at: row.ts, detail: detailOf(row.event, fields), origin: "host" });
  }
  return steps;
}

function stepOf(event: string, f: Record<string, unknown>): string | null {
  switch (event) {
    case "restart.pre_stop":
      return "pre_stop";
    case "provision.ec2_stopped":
      return "stopped";
    case "provision.ec2_started":
      return "started";
    case "restart.requested":
      return "request";
    case "restart.status":
      return `status ${typeof f.status === "string" ? f.status : "unknown"}`;
    case "restart.failed":
    case "restart.done":
    case "restart.noop":
    case "restart.cancelled":
      return event.slice("restart.".length);
    default:
      return null;
  }
}

function detailOf(event: string, f: Record<string, unknown>): string | null {
  if (typeof f.error === "string") return f.error;
  // The tenant's own words for a noop (an external workspace): the trail shows them.
  if (event === "restart.noop" && typeof f.message === "string") return f.message;
  if (typeof f.instance_id === "string") return `instance ${f.instance_id}`;
  if (event === "restart.pre_stop" && typeof f.backend === "string") return `backend ${f.backend}`;
  return null;
}

function parseFields(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
