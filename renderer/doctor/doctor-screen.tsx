import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Finding } from "../../core/api/views";
import { useOps } from "../app/ops-context";
import { Dialog } from "../ui/dialog";
import { ErrorMessage, StateMessage } from "../ui/state-message";

const DOCTOR_KEY = ["doctor"] as const;

const KIND_LABEL: Record<Finding["kind"], string> = {
  orphan_instance: "Orphan instance",
  malformed_binding: "Malformed binding",
  stuck_provisioning: "Stuck provisioning",
  failed_stop: "Failed stop",
  uncertain: "Uncertain",
};

/**
 * The fleet doctor: findings by severity with their evidence and suggested action. Nothing runs
 * until a person confirms it in a dialog that names the workspace, the instance and the action;
 * the host then looks the finding up afresh, acts, and writes the action to the timeline.
 */
export function DoctorScreen() {
  const client = useOps();
  const queryClient = useQueryClient();
  const report = useQuery({
    queryKey: DOCTOR_KEY,
    queryFn: () => client.invoke("doctor.run", {}),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const [confirm, setConfirm] = useState<Finding | null>(null);
  const [via, setVia] = useState<"tenant" | "cp">("tenant");
  const act = useMutation({
    mutationFn: (f: Finding) =>
      client.invoke("doctor.act", { finding: f.id, ...(f.action?.kind === "restart" ? { via } : {}) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: DOCTOR_KEY }),
  });

  const findings = report.data?.findings ?? [];
  return (
    <div className="doctor">
      <div className="doctor__bar">
        <h2>Doctor</h2>
        <button type="button" className="btn" onClick={() => report.refetch()} disabled={report.isFetching}>
          {report.isFetching ? "Checking…" : "Run again"}
        </button>
        {report.data && (
          <span className="muted" role="status">
            {findings.length === 0 ? "Healthy" : `${findings.length} finding${findings.length === 1 ? "" : "s"}`} ·{" "}
            {report.data.workspaces} workspaces, {report.data.instances_checked} instances checked in{" "}
            {(report.data.ms / 1000).toFixed(1)} s
            {report.data.checks_uncertain > 0 &&
              ` · ${report.data.checks_uncertain} checks got no answer (not evidence)`}
            {report.data.tenant !== "ok" && " · tenant unreachable: orphans and stuck boots not checked"}
          </span>
        )}
      </div>
      {act.data && (
        <p className="doctor__done" role="status">
          {KIND_LABEL[(findings.find((f) => f.id === act.data.finding)?.kind ?? "uncertain") as Finding["kind"]] ??
            "Action"}
          : {act.data.detail}
        </p>
      )}
      {act.error && <ErrorMessage error={act.error} title="The action failed" />}
      {report.error ? (
        <ErrorMessage error={report.error} title="The doctor could not run" />
      ) : !report.data ? (
        <StateMessage tone="loading" title="Checking the fleet…">
          Reading the cache, relisting the tenant and asking the control plane about known instances.
        </StateMessage>
      ) : findings.length === 0 ? (
        <StateMessage title="No problems found">
          No orphan instance, malformed binding, stuck boot, failed stop or long-uncertain workspace.
        </StateMessage>
      ) : (
        <table className="doctor__table" aria-label="Findings">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Problem</th>
              <th scope="col">Workspace</th>
              <th scope="col">Evidence</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f) => (
              <tr key={f.id} className={`doctor__row doctor__row--${f.severity}`}>
                <td>
                  <span className={`badge badge--${f.severity === "critical" ? "failed" : "degraded"}`}>
                    {f.severity}
                  </span>
                </td>
                <td>
                  <strong>{KIND_LABEL[f.kind]}</strong>
                  <div className="muted">{f.summary}</div>
                </td>
                <td>
                  <div>{f.workspace_name ?? f.workspace_id}</div>
                  {f.instance_id && <code className="code-chip">{f.instance_id}</code>}
                </td>
                <td>
                  <ul className="doctor__evidence">
                    {f.evidence.map((e) => (
                      <li key={`${e.source}-${e.at}-${e.text}`}>
                        <span className="muted">{e.at ?? "(no time)"}</span> <em>{e.source}</em>: {e.text}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {f.action ? (
                    <button
                      type="button"
                      className="btn btn--small"
                      onClick={() => setConfirm(f)}
                      disabled={act.isPending}
                    >
                      {f.action.label}
                    </button>
                  ) : (
                    <span className="muted">look into it</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirm?.action && (
        <Dialog
          title={`${confirm.action.label}?`}
          onClose={() => setConfirm(null)}
          footer={
            <>
              <button type="button" className="btn btn--ghost" onClick={() => setConfirm(null)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn--danger"
                onClick={() => {
                  act.mutate(confirm);
                  setConfirm(null);
                }}
              >
                Confirm
              </button>
            </>
          }
        >
          <p>
            {KIND_LABEL[confirm.kind]} on workspace <strong>{confirm.workspace_name ?? confirm.workspace_id}</strong>
            {confirm.instance_id && (
              <>
                {" "}
                (instance <code className="code-chip">{confirm.instance_id}</code>)
              </>
            )}
            .
          </p>
          <p>{confirm.summary}</p>
          {confirm.action.kind === "restart" && (
            <fieldset>
              <legend>Restart method</legend>
              <label>
                <input type="radio" name="via" checked={via === "tenant"} onChange={() => setVia("tenant")} /> tenant
              </label>
              <label>
                <input type="radio" name="via" checked={via === "cp"} onChange={() => setVia("cp")} /> cp
              </label>
            </fieldset>
          )}
          <p className="muted">The action is written to the timeline as doctor.action.</p>
        </Dialog>
      )}
    </div>
  );
}
