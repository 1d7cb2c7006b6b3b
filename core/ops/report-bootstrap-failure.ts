import { OpsError } from "../errors";
import type { Store } from "../store/store";
import type { TenantClient } from "../tenant/tenant-client";

export interface BootstrapReport {
  workspace_id: string;
  instance_id: string | null;
  /** The tenant's status after the report. */
  status: string;
  /** false: the tenant had already moved on (not provisioning), so this report changed nothing. */
  changed: boolean | null;
}

/**
 * Tells the tenant about a bootstrap failure the console detected (POST bootstrap-failed with
 * the crash line and the ≤ 8 KiB tail), so the platform fails the workspace now instead of after
 * its 10-minute sweep. Safe to repeat: the platform acts only while the workspace provisions.
 */
export async function reportBootstrapFailure(
  store: Store,
  tenant: Pick<TenantClient, "reportBootstrapFailure">,
  workspaceId: string,
  now: () => number = Date.now,
): Promise<BootstrapReport> {
  const row = store.workspaces.get(workspaceId);
  const crash = row?.health;
  if (!row || !crash?.crashError || crash.crashAt == null) {
    throw new OpsError("Input", `no bootstrap failure is on file for ${workspaceId}: nothing to report`);
  }
  const answer = await tenant.reportBootstrapFailure(workspaceId, {
    error: crash.crashError,
    log_tail: crash.crashTail ?? "",
  });
  const at = now();
  store.health.markReported(workspaceId, at);
  store.recordConsoleEvent(
    "bootstrap.failure_reported",
    { workspace_id: workspaceId, instance_id: crash.crashInstanceId, changed: answer.changed },
    new Date(at),
  );
  return {
    workspace_id: workspaceId,
    instance_id: crash.crashInstanceId,
    status: answer.status,
    changed: answer.changed,
  };
}
