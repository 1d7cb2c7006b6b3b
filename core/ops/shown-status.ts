import type { StatusSource } from "../api/views";
import { bindingIsCurrent, type WorkspaceRow } from "../store/workspace-rows";
import { AT_REST, EXPECTS_RUNNING } from "../tenant/vocabulary";

/** The API's own view types (core/api/views.ts), which these values are. */
export type { StatusSource };

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

/** Uncertain is not a tenant status: the console says it when it cannot tell (docs/contracts.md §5). */
export const UNCERTAIN = "uncertain";

/**
 * One rule for every host (the CLI, the browser host, the desktop app):
 * 1. a RUNTIME CRASHED seen on the serial console during this provisioning → failed;
 * 2. status checks failing → "uncertain since T", never down (a CP blip once read as death
 *    sent every workspace into a restart storm);
 * 3. only a definitive answer about the bound instance, while it is still the workspace's
 *    current one, newer than the tenant's word and than the last heartbeat, that it is not
 *    running while the tenant says online/degraded → offline;
 * 4. otherwise the tenant's own word, unknown statuses as themselves.
 */
export function shownStatus(row: Omit<WorkspaceRow, "extra">): ShownStatus {
  const h = row.health;
  const tenant = row.status ?? "unknown";
  if (tenant === "provisioning" && h?.crashAt != null && crashIsCurrent(row)) {
    return { status: "failed", source: "console", asOf: h.crashAt, since: null, detail: h.crashError };
  }
  // Doubt is about the instance on file: once the tenant replaced it, the doubt says nothing.
  if (h?.uncertainSince != null && !AT_REST.has(tenant) && bindingIsCurrent(row)) {
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
    bindingIsCurrent(row) &&
    EXPECTS_RUNNING.has(tenant) &&
    h.cpCheckedAt >= row.statusAt &&
    // An agent that heartbeats after the answer runs somewhere: the instance on file is not its own.
    (row.lastHeartbeatAt === null || row.lastHeartbeatAt < h.cpCheckedAt)
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

/**
 * A crash read from the console belongs to the boot in progress: seen after the tenant's latest
 * (re)provisioning, and about the instance on file when both are known. The console is read by
 * workspace id, so a crash can be seen before (or without) the instance being known.
 */
export function crashIsCurrent(row: Pick<WorkspaceRow, "health" | "provisioningAt" | "instanceId">): boolean {
  const h = row.health;
  if (h?.crashAt == null) return false;
  if (row.provisioningAt !== null && h.crashAt < row.provisioningAt) return false;
  return h.crashInstanceId === null || row.instanceId === null || h.crashInstanceId === row.instanceId;
}

/** Two shown statuses a subscriber would tell apart (a repeated failing check is not news). */
export function sameShownStatus(a: ShownStatus, b: ShownStatus): boolean {
  return a.status === b.status && a.source === b.source && a.since === b.since && a.detail === b.detail;
}
