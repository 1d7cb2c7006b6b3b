import { bootstrapReport } from "./bootstrap-report";
import { bootstrapFailedMessage } from "./seed-history";
import type { SimWorld } from "./state";

export type BootstrapOutcome = "changed" | "no_change" | "db_error";

/**
 * POST /admin/workspaces/:id/bootstrap-failed's effect (handlers/workspace_bootstrap.go):
 * one UPDATE … WHERE id = $1 AND status = 'provisioning'. No row changed (unknown id, or a
 * workspace past provisioning: a late self-registration, a repeated report) is a no-op the
 * caller is told about, so it does not retry; a value Postgres refuses is a 500.
 */
export function reportBootstrapFailure(
  world: SimWorld,
  workspaceId: string,
  error: string,
  logTail: string,
): BootstrapOutcome {
  const report = bootstrapReport(error, logTail);
  const at = world.clock.now();
  if (report.invalidUtf8) {
    world.log.printf(at, `BootstrapFailed: db update ${workspaceId}: pq: invalid byte sequence for encoding "UTF8"`);
    return "db_error";
  }
  const record = world.find(workspaceId);
  if (record?.status !== "provisioning") return "no_change";
  world.timers.cancel(record.bootTimer);
  record.bootTimer = undefined;
  record.agentInstanceId = null;
  record.lastSampleError = report.sampleError;
  world.changeStatus(record, "failed", { error: report.error, log_tail: report.logTail, source: "bootstrap_watcher" });
  world.log.printf(at, bootstrapFailedMessage(workspaceId, report));
  return "changed";
}
