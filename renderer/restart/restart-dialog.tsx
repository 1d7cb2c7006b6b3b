import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RestartVia, WorkspaceView } from "../../core/api/views";
import { useOps } from "../app/ops-context";
import { useActiveProfile } from "../app/use-active-profile";
import { Dialog } from "../ui/dialog";
import { StatusBadge } from "../workspaces/status-badge";
import { beginRestart, GRACE_MS } from "./restart-runner";

/**
 * The confirmation: which workspace, by which method, and what that method will do, before
 * anything is sent. The confirm button is named "Restart" like the button that opened it. The
 * tenant is the default (docs/contracts.md §5): it provisions with the workspace's own secrets; cp is for a
 * stuck instance and needs the current instance on file.
 */
export function RestartDialog({ workspace, onClose }: { workspace: WorkspaceView; onClose: () => void }) {
  const client = useOps();
  const queryClient = useQueryClient();
  const profile = useActiveProfile();
  const hasCp = profile ? profile.cpUrl !== null : true;
  const cpBlocked = cpRestartBlocked(workspace, hasCp);
  const [via, setVia] = useState<RestartVia>("tenant");
  const label = workspace.name ?? workspace.id;
  const confirm = () => {
    beginRestart(client, queryClient, { id: workspace.id, label, instanceId: workspace.instanceId }, via);
    onClose();
  };
  return (
    <Dialog
      title={`Restart ${label}?`}
      onClose={onClose}
      className="dialog--restart"
      footer={
        <>
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn--danger" onClick={confirm}>
            Restart
          </button>
        </>
      }
    >
      <p className="restart-summary" data-testid="restart-summary">
        Restart workspace <strong>{label}</strong> <span className="mono muted">({workspace.id})</span> via{" "}
        <strong>{via === "cp" ? "cp (control plane)" : "tenant (tenant platform)"}</strong>.
      </p>
      <p>
        Now <StatusBadge status={workspace.status} since={workspace.since} /> on instance{" "}
        <span className="mono">{workspace.instanceId ?? "none on file"}</span>
        {workspace.runtime ? `, ${workspace.runtime}` : ""}
        {workspace.tier !== null ? `, tier ${workspace.tier}` : ""}.
      </p>
      <fieldset className="method">
        <legend>Method</legend>
        <label className="method__option">
          <input
            type="radio"
            name="restart-via"
            value="tenant"
            checked={via === "tenant"}
            onChange={() => setVia("tenant")}
          />
          <span>
            <strong>tenant</strong> — ask the tenant platform to restart it (<code>POST /workspaces/:id/restart</code>):
            it stops the workspace's instance and boots a new one with the workspace's own secrets; then follow its
            status until online.
          </span>
        </label>
        <label className={`method__option${cpBlocked ? " method__option--disabled" : ""}`}>
          <input
            type="radio"
            name="restart-via"
            value="cp"
            checked={via === "cp"}
            disabled={cpBlocked !== null}
            onChange={() => setVia("cp")}
          />
          <span>
            <strong>cp</strong> — for a stuck instance: journal <code>restart.pre_stop</code>, Stop instance{" "}
            <span className="mono">{workspace.instanceId ?? "(none on file)"}</span> through the control plane, then ask
            the tenant to restart it and follow its status until online.
            {cpBlocked && (
              <em className="muted" data-testid="restart-cp-blocked">
                {" "}
                {cpBlocked}
              </em>
            )}
          </span>
        </label>
      </fieldset>
      <p className="muted">
        The request goes out {GRACE_MS / 1000} s after you confirm: until then, Cancel stops it before anything is sent.
      </p>
    </Dialog>
  );
}

/** Why restart via cp cannot be chosen for this workspace, or null when it can. */
function cpRestartBlocked(w: WorkspaceView, hasCp: boolean): string | null {
  if (!hasCp) return "This profile has no control plane.";
  if (!w.instanceId && w.runtime === "external") {
    return "No instance on file: an external workspace is run by its operator, and the platform never gives it one.";
  }
  if (!w.instanceId) {
    return "No instance on file: the tenant API never says which instance a workspace runs on. Import the tenant's server log (Timeline → Import) to learn it.";
  }
  if (!w.instanceCurrent) {
    return "The instance on file predates the tenant's last re-provisioning, so it may not be the one running: import the tenant's newer server log.";
  }
  return null;
}
