import type { WorkspaceRecord } from "./workspace-record";

/**
 * The payload the platform records with each status event, from its RecordAndBroadcast call
 * sites (docs/contracts.md §3 lists the types; the code decides the fields):
 * - WORKSPACE_PROVISIONING {name, tier, runtime}: Create, Restart, Resume, the auto-restart cycle;
 * - WORKSPACE_ONLINE: {url, agent_card, delivery_mode} on register; {} when a heartbeat brings a
 *   degraded or offline workspace back; {recovered_from} out of provisioning or awaiting_agent
 *   (registry.go); {name, external: true} for an external created with a URL;
 * - WORKSPACE_DEGRADED {error_rate, sample_error} (registry.go evaluateStatus);
 * - WORKSPACE_OFFLINE {} (cmd/server/main.go offline handler, a2a_proxy_helpers.go);
 * - WORKSPACE_PROVISION_FAILED {error} (markProvisionFailed), {error, log_tail, source:
 *   "bootstrap_watcher"} (workspace_bootstrap.go), {error, timeout_secs, runtime, source:
 *   "provision_timeout_sweep"} (registry/provisiontimeout.go);
 * - WORKSPACE_PAUSED {name}; WORKSPACE_HIBERNATED {name, tier}; WORKSPACE_AWAITING_AGENT
 *   {name, external: true}; WORKSPACE_REMOVED {cascade_deleted} (workspace_crud.go).
 * hibernating has no event; neither has a status the platform does not know.
 */
export function statusPayload(record: WorkspaceRecord, status: string, previous: string): Record<string, unknown> {
  switch (status) {
    case "provisioning":
      return provisioningPayload(record);
    case "online":
      if (previous === "provisioning" || previous === "awaiting_agent") return { recovered_from: previous };
      return {};
    case "degraded":
      return { error_rate: record.lastErrorRate, sample_error: record.lastSampleError };
    case "failed":
      return { error: record.lastSampleError === "" ? "provisioning failed" : record.lastSampleError };
    case "paused":
      return { name: record.name };
    case "hibernated":
      return { name: record.name, tier: record.tier };
    case "awaiting_agent":
      return { name: record.name, external: true };
    case "removed":
      return { cascade_deleted: 0 };
    default:
      return {};
  }
}

export function provisioningPayload(record: WorkspaceRecord): Record<string, unknown> {
  return { name: record.name, tier: record.tier, runtime: record.runtime };
}

/** POST /registry/register's event: the URL and card the agent registered with. */
export function registerPayload(record: WorkspaceRecord): Record<string, unknown> {
  return { url: record.url, agent_card: record.agentCard, delivery_mode: "push" };
}

/** The provision-timeout sweep's message (registry/provisiontimeout.go). */
export const PROVISION_TIMEOUT_ERROR =
  "provisioning timed out — container started but never called /registry/register. Check container logs and network connectivity to the platform.";
