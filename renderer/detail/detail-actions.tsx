import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CrashView, WorkspaceView } from "../../core/api/views";
import { describeError } from "../app/errors";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";
import { useStoreValue } from "../app/small-store";
import { ui } from "../app/ui-state";
import { FINISHED, restarts } from "../restart/restart-store";
import { clockTime } from "../ui/format-time";

/** Restart, a status check (IsRunning) and, after a boot crash, the report to the tenant. */
export function DetailActions({ workspace, crash }: { workspace: WorkspaceView; crash: CrashView | null }) {
  const client = useOps();
  const queryClient = useQueryClient();
  const run = useStoreValue(restarts, (s) => s.runs[workspace.id]);
  const restarting = run !== undefined && !FINISHED.has(run.phase);
  const check = useMutation({ mutationFn: () => client.invoke("workspaces.status", { id: workspace.id }) });
  const report = useMutation({
    mutationFn: () => client.invoke("bootstrap.report", { id: workspace.id }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.detail(workspace.id) }),
  });
  return (
    <div className="actions" role="toolbar" aria-label="Workspace actions">
      <button
        type="button"
        className="btn btn--danger"
        disabled={restarting}
        title={restarting ? "A restart of this workspace is in progress" : "Restart this workspace (r)"}
        onClick={() => ui.set({ restartFor: workspace.id })}
      >
        Restart
      </button>
      <button
        type="button"
        className="btn"
        disabled={check.isPending || !workspace.instanceCurrent}
        title={
          workspace.instanceCurrent
            ? "Ask the control plane whether the instance on file is running"
            : workspace.instanceId
              ? "The instance on file may have been replaced by the tenant's last re-provisioning: import its newer server log"
              : workspace.runtime === "external"
                ? "No instance: an external workspace is run by its operator, and the platform never gives it one"
                : "No instance on file: import the tenant's server log (Timeline → Import) to learn it"
        }
        onClick={() => check.mutate()}
      >
        {check.isPending ? "Checking…" : "Check status"}
      </button>
      {crash && !crash.reportedAt && (
        <button type="button" className="btn" disabled={report.isPending} onClick={() => report.mutate()}>
          Report bootstrap failure
        </button>
      )}
      <span className="actions__result" role="status">
        {check.data &&
          (check.data.error
            ? `Uncertain: ${check.data.error.message}`
            : `CP says ${check.data.state ?? "unknown"} (${check.data.running ? "running" : "not running"}) on ${check.data.instance_id ?? "no instance"} — ${clockTime(new Date().toISOString())}`)}
        {check.error && `Status check failed: ${describeError(check.error).message}`}
        {report.data &&
          (report.data.changed
            ? " Reported: the tenant marked the workspace failed."
            : " Reported; the tenant had already moved on (no change).")}
        {report.error && ` Report failed: ${describeError(report.error).message}`}
      </span>
    </div>
  );
}
