import type { WorkspaceRow } from "../store/workspace-rows";
import { AT_REST, EXPECTS_RUNNING } from "../tenant/vocabulary";

/** Where the status a person sees came from. */
export type StatusSource = "sync" | "event" | "cp" | "console";

/** The status shown for a workspace, with its source and as-of time (issue: live status). */
export interface ShownStatus {
  /** A tenant status (known or not), or "uncertain". */
  status: string;
  source: StatusSource;
  /** ms since epoch: when this was last true. */
  asOf: number;
  /** ms: for "uncertain", since when the checks have been failing. */
  since: number | null;
  /** A short, safe explanation (the CP's state, the check's error, the crash line). */
  detail: string | null;
}

/** Uncertain is not a tenant status: the console says it when it cannot tell (SPEC §5). */
export const UNCERTAIN = "uncertain";

/**
 * One rule for every host (the CLI, the browser host, the desktop app):
 * 1. a RUNTIME CRASHED seen on the console of the instance still provisioning → failed;
 * 2. status checks failing → "uncertain since T", never down (a CP blip once read as death
 *    sent every workspace into a restart storm);
 * 3. only a definitive answer about the bound instance, newer than the tenant's word, that it
 *    is not running while the tenant says online/degraded → offline;
 * 4. otherwise the tenant's own word, unknown statuses as themselves.
 */
export function shownStatus(row: WorkspaceRow): ShownStatus {
  const h = row.health;
  const tenant = row.status ?? "unknown";
  if (h?.crashAt != null && tenant === "provisioning" && h.crashInstanceId === row.instanceId) {
    return { status: "failed", source: "console", asOf: h.crashAt, since: null, detail: h.crashError };
  }
  if (h?.uncertainSince != null && !AT_REST.has(tenant)) {
    return {
      status: UNCERTAIN,
      source: "cp",
      asOf: h.uncertainAt ?? h.uncertainSince,
      since: h.uncertainSince,
      detail: h.uncertainError,
    };
  }
  if (
    h?.cpState != null &&
    h.cpCheckedAt != null &&
    h.cpState !== "running" &&
    h.cpInstanceId === row.instanceId &&
    EXPECTS_RUNNING.has(tenant) &&
    h.cpCheckedAt >= row.statusAt
  ) {
    return {
      status: "offline",
      source: "cp",
      asOf: h.cpCheckedAt,
      since: null,
      detail: `instance ${h.cpInstanceId} is ${h.cpState}`,
    };
  }
  return { status: tenant, source: row.statusSource, asOf: row.statusAt, since: null, detail: null };
}

/** Two shown statuses a subscriber would tell apart (a repeated failing check is not news). */
export function sameShownStatus(a: ShownStatus, b: ShownStatus): boolean {
  return a.status === b.status && a.source === b.source && a.since === b.since && a.detail === b.detail;
}
