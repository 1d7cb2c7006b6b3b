import type { WorkspaceView } from "../../core/api/views";
import { statusRank } from "./statuses";

export interface WorkspaceFilters {
  text: string;
  /** "" for any. */
  status: string;
  runtime: string;
  /** "" for any, else the tier as text. */
  tier: string;
}

export const NO_FILTERS: WorkspaceFilters = { text: "", status: "", runtime: "", tier: "" };

export type SortKey = "name" | "status" | "runtime" | "tier" | "instanceId" | "asOf";
export interface SortOrder {
  key: SortKey;
  dir: "asc" | "desc";
}

export function hasFilters(f: WorkspaceFilters): boolean {
  return f.text.trim() !== "" || f.status !== "" || f.runtime !== "" || f.tier !== "";
}

/**
 * The rows the table shows. Filtering runs in the page over the cached list (10,000 rows take
 * a few milliseconds), so typing never waits for the host and live updates patch one list.
 * Text matches the name, id, instance id, runtime and status, every word anywhere.
 */
export function filterWorkspaces(rows: readonly WorkspaceView[], f: WorkspaceFilters): readonly WorkspaceView[] {
  if (!hasFilters(f)) return rows;
  const words = f.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const tier = f.tier === "" ? null : Number(f.tier);
  return rows.filter((r) => {
    if (f.status !== "" && r.status !== f.status) return false;
    if (f.runtime !== "" && r.runtime !== f.runtime) return false;
    if (tier !== null && r.tier !== tier) return false;
    if (words.length === 0) return true;
    const hay = `${r.name ?? ""} ${r.id} ${r.instanceId ?? ""} ${r.runtime ?? ""} ${r.status}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/**
 * A stable sort; empty values last in either direction; ties broken by name, then id. Names use
 * the platform collator (numeric: -9 before -10): native, so it costs the same cold as warm,
 * which hand-written "natural" compares did not (measured 3-5x slower on a first render).
 */
export function sortWorkspaces(rows: readonly WorkspaceView[], order: SortOrder): WorkspaceView[] {
  const sign = order.dir === "asc" ? 1 : -1;
  const byName = (a: WorkspaceView, b: WorkspaceView) =>
    collator.compare(a.name ?? a.id, b.name ?? b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const compare = comparatorOf(order.key);
  return [...rows].sort((a, b) => {
    const ea = isEmpty(a, order.key);
    const eb = isEmpty(b, order.key);
    if (ea !== eb) return ea ? 1 : -1;
    const c = ea ? 0 : compare(a, b);
    return c !== 0 ? c * sign : byName(a, b) * (order.key === "name" ? sign : 1);
  });
}

function isEmpty(r: WorkspaceView, key: SortKey): boolean {
  if (key === "name" || key === "status" || key === "asOf") return false;
  return r[key] === null || r[key] === "";
}

function comparatorOf(key: SortKey): (a: WorkspaceView, b: WorkspaceView) => number {
  switch (key) {
    case "name":
      return () => 0;
    case "status":
      return (a, b) => statusRank(a.status) - statusRank(b.status) || collator.compare(a.status, b.status);
    case "tier":
      return (a, b) => (a.tier ?? 0) - (b.tier ?? 0);
    case "asOf":
      return (a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : 0);
    default:
      return (a, b) => collator.compare(String(a[key]), String(b[key]));
  }
}

/** What the filter menus offer: statuses with their counts, and every runtime present. One pass. */
export function filterChoices(
  rows: readonly WorkspaceView[],
  knownStatuses: readonly string[],
  knownRuntimes: readonly string[],
): { statuses: string[]; runtimes: string[]; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const runtimes = new Set<string>();
  for (const r of rows) {
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    if (r.runtime) runtimes.add(r.runtime);
  }
  const extra = (seen: Iterable<string>, known: readonly string[]) =>
    [...seen].filter((v) => !known.includes(v)).sort();
  return {
    statuses: [...knownStatuses, ...extra(counts.keys(), knownStatuses)],
    runtimes: [...knownRuntimes, ...extra(runtimes, knownRuntimes)],
    counts,
  };
}
