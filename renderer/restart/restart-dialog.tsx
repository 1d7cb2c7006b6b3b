import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { WorkspaceView } from "../../core/api/views";
import type { RestartVia } from "../../core/ops/restart";
import { useOps } from "../app/ops-context";
import { useActiveProfile } from "../app/use-active-profile";
import { Dialog } from "../ui/dialog";
import { StatusBadge } from "../workspaces/status-badge";
import { beginRestart, GRACE_MS } from "./restart-runner";

/**
 * The confirmation: which workspace, by which method, and what that method will do, before
 * anything is sent. The confirm button is named "Restart" like the button that opened it.
 */
export function RestartDialog({ workspace, onClose }: { workspace: WorkspaceView; onClose: () => void }) {
  const client = useOps();
  const queryClient = useQueryClient();
  const profile = useActiveProfile();
  const hasCp = profile ? profile.cpUrl !== null : true;
  const [via, setVia] = useState<RestartVia>(hasCp ? "cp" : "tenant");
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
        <label className={`method__option${hasCp ? "" : " method__option--disabled"}`}>
          <input
            type="radio"
            name="restart-via"
            value="cp"
            checked={via === "cp"}
            disabled={!hasCp}
            onChange={() => setVia("cp")}
          />
          <span>
            <strong>cp</strong> — through the control plane: journal <code>restart.pre_stop</code>, Stop instance{" "}
            <span className="mono">{workspace.instanceId ?? "(none on file: nothing to stop)"}</span>, Start a new one
            {workspace.runtime ? ` (${workspace.runtime}, tier ${workspace.tier ?? "?"})` : ""}, then follow it until
            running.
            {!hasCp && <em className="muted"> This profile has no control plane.</em>}
          </span>
        </label>
        <label className="method__option">
          <input
            type="radio"
            name="restart-via"
            value="tenant"
            checked={via === "tenant"}
            onChange={() => setVia("tenant")}
          />
          <span>
            <strong>tenant</strong> — ask the tenant platform to restart it (<code>POST /workspaces/:id/restart</code>),
            then follow its status until online.
          </span>
        </label>
      </fieldset>
      <p className="muted">
        The request goes out {GRACE_MS / 1000} s after you confirm: until then, Cancel stops it before anything is sent.
      </p>
    </Dialog>
  );
}
