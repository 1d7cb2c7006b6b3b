import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ProfileView, RequestResults } from "../../core/api/views";
import { describeError } from "../app/errors";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";
import { profileChanged } from "../live/live-state";
import { Dialog } from "../ui/dialog";

/** The tenant profiles with use, test, edit and remove; the environment's profile is read-only. */
export function ProfileList({
  profiles,
  onEdit,
}: {
  profiles: readonly ProfileView[];
  onEdit: (p: ProfileView) => void;
}) {
  const client = useOps();
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<ProfileView | null>(null);
  const use = useMutation({
    mutationFn: (name: string) => client.invoke("profiles.use", { name }),
    // Another tenant: every cached answer belongs to the old one.
    onSuccess: () => {
      profileChanged();
      return queryClient.invalidateQueries();
    },
  });
  const test = useMutation({
    mutationFn: (name: string) => client.invoke("profiles.test", { name }).then((r) => ({ ...r, name })),
  });
  const remove = useMutation({
    mutationFn: (name: string) => client.invoke("profiles.remove", { name }),
    onSuccess: (_r, name) => {
      if (profiles.find((p) => p.name === name)?.active) {
        profileChanged();
        return queryClient.invalidateQueries();
      }
      return queryClient.invalidateQueries({ queryKey: keys.profiles });
    },
  });

  if (profiles.length === 0) {
    return (
      <p className="muted">
        No profile yet: add one below, or start the host with MOLECULE_TENANT_URL and MOLECULE_ORG_ID set.
      </p>
    );
  }
  return (
    <>
      <table className="table" aria-label="Profiles">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Tenant</th>
            <th scope="col">Org</th>
            <th scope="col">Control plane</th>
            <th scope="col">Secrets</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {profiles.map((p) => (
            <tr key={p.name} className={p.active ? "row--current" : ""}>
              <td>
                {p.name} {p.active && <span className="tag tag--ok">active</span>}
                {p.readOnly && <span className="tag">from the environment</span>}
              </td>
              <td className="mono ellipsis">{p.tenantUrl}</td>
              <td className="mono">{p.orgId}</td>
              <td className="mono ellipsis">{p.cpUrl ?? "—"}</td>
              <td>{p.hasSecrets ? "stored" : "none"}</td>
              <td className="nowrap">
                {!p.active && (
                  <button type="button" className="btn btn--small" onClick={() => use.mutate(p.name)}>
                    Use
                  </button>
                )}
                <button type="button" className="btn btn--small" onClick={() => test.mutate(p.name)}>
                  Test connection
                </button>
                {!p.readOnly && (
                  <>
                    <button type="button" className="btn btn--small" onClick={() => onEdit(p)}>
                      Edit
                    </button>
                    <button type="button" className="btn btn--small btn--danger-ghost" onClick={() => setRemoving(p)}>
                      Remove
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div role="status" className="profile-result" data-testid="profile-test-result">
        {test.isPending && `Testing ${test.variables}…`}
        {test.data && <TestResult result={test.data} />}
        {test.error && `Test failed: ${describeError(test.error).message}`}
        {use.error && `Could not switch: ${describeError(use.error).message}`}
        {remove.error && `Could not remove: ${describeError(remove.error).message}`}
      </div>
      {removing && (
        <Dialog
          title={`Remove the profile ${removing.name}?`}
          onClose={() => setRemoving(null)}
          footer={
            <>
              <button type="button" className="btn btn--ghost" onClick={() => setRemoving(null)}>
                Keep it
              </button>
              <button
                type="button"
                className="btn btn--danger"
                onClick={() => {
                  remove.mutate(removing.name);
                  setRemoving(null);
                }}
              >
                Remove profile
              </button>
            </>
          }
        >
          <p>Its stored secrets are deleted too. Its local cache file stays on disk.</p>
        </Dialog>
      )}
    </>
  );
}

function TestResult({ result: r }: { result: RequestResults["profiles.test"] & { name: string } }) {
  if (r.error) return <>{`${r.name}: the tenant did not answer — ${r.error.code}: ${r.error.message}`}</>;
  const cp =
    r.cp === "ok"
      ? "control plane OK"
      : r.cp === "none"
        ? "no control plane configured"
        : "control plane check failed (wrong provision secret or CP down)";
  return <>{`${r.name}: tenant OK (${r.workspaces} workspaces), ${cp}.`}</>;
}
