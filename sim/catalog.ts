import { RUNTIMES, WORKSPACE_STATUSES } from "../core/tenant/vocabulary";

export { RUNTIMES };
/** The vocabularies of docs/contracts.md §3, as the tenant platform uses them. */
export const SPEC_STATUSES = WORKSPACE_STATUSES;

/** A status docs/contracts.md does not list: the platform's taxonomy grows, and clients must show it as itself. */
export const UNKNOWN_STATUS = "quarantined";

/** The event announcing that a workspace reached a status; statuses without one (e.g. hibernating) emit none. */
export const STATUS_EVENT: Readonly<Record<string, string>> = {
  provisioning: "WORKSPACE_PROVISIONING",
  online: "WORKSPACE_ONLINE",
  offline: "WORKSPACE_OFFLINE",
  degraded: "WORKSPACE_DEGRADED",
  failed: "WORKSPACE_PROVISION_FAILED",
  paused: "WORKSPACE_PAUSED",
  hibernated: "WORKSPACE_HIBERNATED",
  awaiting_agent: "WORKSPACE_AWAITING_AGENT",
  removed: "WORKSPACE_REMOVED",
};

/** Statuses whose workspace has compute on the CP (a pending or running instance). */
export const LIVE_STATUSES: ReadonlySet<string> = new Set(["online", "degraded", "provisioning"]);
