import type { BootstrapReport } from "../api/views";
import { OpsError } from "../errors";
import type { Store } from "../store/store";
import type { TenantClient } from "../tenant/tenant-client";
import { type BootstrapFailure, detectBootstrapFailure } from "./bootstrap-failure";
import { crashIsCurrent } from "./shown-status";

/** The API's own view types (core/api/views.ts), which these values are. */
export type { BootstrapReport };

export interface ReportOptions {
  /** The serial console by workspace id (the CP's admin route, else the tenant's), read when no crash is on file. */
  readConsole: (workspaceId: string) => Promise<string>;
  now?: () => number;
}

/**
 * Tells the tenant about a bootstrap failure (POST bootstrap-failed with the crash line and the
 * ≤ 8 KiB tail), so the platform fails the workspace now instead of after its 10-minute sweep.
 * A crash the live engine already saw for this boot is reported as it was seen; otherwise the
 * console is read now (it is keyed by workspace id, so no instance need be known). Safe to repeat:
 * the platform acts only while the workspace provisions.
 */
export async function reportBootstrapFailure(
  store: Store,
  tenant: Pick<TenantClient, "reportBootstrapFailure">,
  workspaceId: string,
  o: ReportOptions,
): Promise<BootstrapReport> {
  const now = o.now ?? Date.now;
  const row = store.workspaces.get(workspaceId);
  const h = row?.health;
  let failure: BootstrapFailure;
  let detected: BootstrapReport["detected"] = "cache";
  if (row && h?.crashError && h.crashAt != null && crashIsCurrent(row)) {
    failure = { error: h.crashError, tail: h.crashTail ?? "" };
  } else {
    const found = detectBootstrapFailure(await o.readConsole(workspaceId));
    if (!found) {
      throw new OpsError(
        "Input",
        `the serial console of ${workspaceId} shows no RUNTIME CRASHED: there is no bootstrap failure to report`,
      );
    }
    failure = found;
    detected = "console";
    const at = now();
    const instanceId = row?.instanceId ?? null;
    store.health.recordCrash({ workspaceId, instanceId, ...failure, at });
    store.recordConsoleEvent(
      "bootstrap.failure_detected",
      { workspace_id: workspaceId, instance_id: instanceId, error: failure.error },
      new Date(at),
    );
  }
  const answer = await tenant.reportBootstrapFailure(workspaceId, { error: failure.error, log_tail: failure.tail });
  const at = now();
  store.health.markReported(workspaceId, at);
  store.recordConsoleEvent(
    "bootstrap.failure_reported",
    { workspace_id: workspaceId, instance_id: row?.instanceId ?? null, changed: answer.changed },
    new Date(at),
  );
  return { workspace_id: workspaceId, changed: answer.changed, error: failure.error, detected };
}
