import type { TimelineView } from "../../core/api/views";

export interface Lane {
  /** The workspace id, or "" for events that name none. */
  key: string;
  events: TimelineView[];
}

export interface TimeRange {
  min: number;
  max: number;
}

/** One lane per workspace, in order of each lane's first event; events without a time are left out. */
export function groupLanes(rows: readonly TimelineView[]): Lane[] {
  const lanes = new Map<string, Lane>();
  const first = new Map<string, number>();
  for (const row of rows) {
    if (!row.ts) continue;
    const key = row.workspaceId ?? "";
    let lane = lanes.get(key);
    if (!lane) {
      lane = { key, events: [] };
      lanes.set(key, lane);
      first.set(key, Date.parse(row.ts));
    }
    lane.events.push(row);
    first.set(key, Math.min(first.get(key) ?? Number.POSITIVE_INFINITY, Date.parse(row.ts)));
  }
  return [...lanes.values()].sort((a, b) => (first.get(a.key) ?? 0) - (first.get(b.key) ?? 0));
}

/** The span the axis shows: the filter's bounds when given, else the events' own, never empty. */
export function timeRange(rows: readonly TimelineView[], since?: number, until?: number): TimeRange | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    if (!row.ts) continue;
    const t = Date.parse(row.ts);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (since !== undefined) min = since;
  if (until !== undefined) max = until;
  if (!Number.isFinite(min) || !Number.isFinite(max)) return null;
  if (max - min < 1000) {
    // One event (or one instant): a minute around it, so the marker sits in the middle.
    return { min: min - 30_000, max: max + 30_000 };
  }
  const pad = (max - min) * 0.02;
  return { min: min - pad, max: max + pad };
}

/** Position on the axis, 0–100. */
export function xPercent(ts: string, range: TimeRange): number {
  const x = ((Date.parse(ts) - range.min) / (range.max - range.min)) * 100;
  return Math.max(0, Math.min(100, x));
}

const STEPS = [
  1000, 5000, 15_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000, 604_800_000, 2_592_000_000,
];

/** Axis ticks at round times, about `target` of them. */
export function ticks(range: TimeRange, target = 6): number[] {
  const span = range.max - range.min;
  const step = STEPS.find((s) => span / s <= target) ?? STEPS[STEPS.length - 1] ?? 86_400_000;
  const out: number[] = [];
  const offset = new Date(range.min).getTimezoneOffset() * 60_000;
  // Round in local time, so day ticks fall on local midnight.
  for (let t = Math.ceil((range.min - offset) / step) * step + offset; t <= range.max; t += step) out.push(t);
  return out;
}

/** Marker colour family of an event name (the taxonomy grows: unknown names are "other"). */
export function eventTone(event: string): string {
  const e = event.toLowerCase();
  if (e.includes("fail") || e.includes("crash")) return "bad";
  if (e.includes("stopped") || e.includes("offline") || e.includes("removed")) return "stop";
  if (e.includes("online") || e.includes("started") || e === "restart.done") return "ok";
  if (e.startsWith("restart.")) return "restart";
  if (e.includes("provision")) return "provision";
  if (e.includes("degraded") || e.includes("awaiting")) return "warn";
  if (e.includes("paused") || e.includes("hibernat")) return "rest";
  return "other";
}

export interface MarkerGroup {
  /** Position on the axis, 0–100. */
  x: number;
  events: TimelineView[];
}

/**
 * Events closer than `minGapPct` on the axis share one marker (with a count), so a burst of
 * events (a restart's five steps within a second) stays visible and hoverable as a whole.
 */
export function clusterMarkers(events: readonly TimelineView[], range: TimeRange, minGapPct: number): MarkerGroup[] {
  const placed = events
    .filter((e) => e.ts !== null)
    .map((e) => ({ e, x: xPercent(e.ts as string, range) }))
    .sort((a, b) => a.x - b.x);
  const groups: MarkerGroup[] = [];
  let start = 0;
  let current: { events: TimelineView[]; min: number; max: number } | null = null;
  for (const p of placed) {
    if (current && p.x - start < minGapPct) {
      current.events.push(p.e);
      current.max = p.x;
      continue;
    }
    if (current) groups.push({ x: (current.min + current.max) / 2, events: current.events });
    current = { events: [p.e], min: p.x, max: p.x };
    start = p.x;
  }
  if (current) groups.push({ x: (current.min + current.max) / 2, events: current.events });
  return groups;
}
