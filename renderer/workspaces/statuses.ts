import { RUNTIMES, UNCERTAIN, WORKSPACE_STATUSES } from "../../core/api/vocabulary";

/** Not a tenant status: the console says it when its checks fail (docs/contracts.md §5, shown-status rule 2). */
export { UNCERTAIN };

/** Every status with a badge of its own: docs/contracts.md §3's ten plus "uncertain". Others show as themselves. */
export const KNOWN_STATUSES: readonly string[] = [...WORKSPACE_STATUSES, UNCERTAIN];
export const KNOWN_RUNTIMES: readonly string[] = RUNTIMES;
export const TIERS: readonly number[] = [1, 2, 3, 4];

/** What needs eyes first sorts first; unknown statuses after the known ones. */
const SEVERITY: readonly string[] = [
  "failed",
  UNCERTAIN,
  "offline",
  "degraded",
  "provisioning",
  "awaiting_agent",
  "online",
  "paused",
  "hibernating",
  "hibernated",
  "removed",
];

export function statusRank(status: string): number {
  const i = SEVERITY.indexOf(status);
  return i === -1 ? SEVERITY.length : i;
}

export function isKnownStatus(status: string): boolean {
  return KNOWN_STATUSES.includes(status);
}

/** Human words for a status: underscores become spaces; the value itself is never replaced. */
export function statusLabel(status: string): string {
  return status.replaceAll("_", " ");
}
