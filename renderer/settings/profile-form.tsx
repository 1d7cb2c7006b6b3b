import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { baseUrlProblem, isProfileName, PROFILE_URL_RULES, sameUrl } from "../../core/api/field-rules";
import type { ProfileView } from "../../core/api/views";
import { describeError } from "../app/errors";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";
import { profileChanged } from "../live/live-state";

/**
 * Add or edit a tenant profile. Secrets go to the host only when typed here and never come back:
 * the fields start empty, and leaving them empty keeps what is stored, unless the tenant or CP
 * URL changes: stored secrets belong to the URLs they were entered for (docs/contracts.md §5), so the host
 * drops them then (the desktop app asks first, in a dialog of its own) and the form says so.
 */
export function ProfileForm({
  editing,
  canStore,
  onDone,
}: {
  editing: ProfileView | null;
  canStore: boolean;
  onDone: () => void;
}) {
  const client = useOps();
  const queryClient = useQueryClient();
  const [name, setName] = useState(editing?.name ?? "");
  const [tenantUrl, setTenantUrl] = useState(editing?.tenantUrl ?? "");
  const [orgId, setOrgId] = useState(editing?.orgId ?? "");
  const [cpUrl, setCpUrl] = useState(editing?.cpUrl ?? "");
  const [adminToken, setAdminToken] = useState("");
  const [provisionSecret, setProvisionSecret] = useState("");
  const [adminApiToken, setAdminApiToken] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const typed = adminToken !== "" || provisionSecret !== "" || adminApiToken !== "";
  const dropsSecrets =
    editing?.hasSecrets === true &&
    !typed &&
    !(sameUrl(editing.tenantUrl, tenantUrl.trim()) && sameUrl(editing.cpUrl, cpUrl.trim() || null));
  const save = useMutation({
    mutationFn: () => {
      return client.invoke("profiles.save", {
        profile: { name: name.trim(), tenantUrl: tenantUrl.trim(), orgId: orgId.trim(), cpUrl: cpUrl.trim() || null },
        ...(typed ? { secrets: { adminToken, provisionSecret, adminApiToken } } : {}),
      });
    },
    onSuccess: (saved) => {
      setAdminToken("");
      setProvisionSecret("");
      setAdminApiToken("");
      if (saved.active) {
        // The active profile changed (edited, or the first one): its session starts over.
        profileChanged();
        void queryClient.invalidateQueries();
      } else void queryClient.invalidateQueries({ queryKey: keys.profiles });
      onDone();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const issue = check(name, tenantUrl, orgId, cpUrl);
    setProblem(issue);
    if (!issue) save.mutate();
  };

  return (
    <form
      className="profile-form"
      onSubmit={submit}
      aria-label={editing ? `Edit profile ${editing.name}` : "Add a profile"}
    >
      <h3>{editing ? `Edit ${editing.name}` : "Add a tenant profile"}</h3>
      <div className="form-grid">
        <label>
          Name
          <input
            className="input"
            value={name}
            disabled={editing !== null}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </label>
        <label>
          Tenant URL
          <input
            className="input"
            type="url"
            value={tenantUrl}
            placeholder="https://tenant.example.com"
            onChange={(e) => setTenantUrl(e.target.value)}
            required
          />
        </label>
        <label>
          Org id
          <input className="input" value={orgId} onChange={(e) => setOrgId(e.target.value)} required />
        </label>
        <label>
          Control plane URL <span className="muted">(optional)</span>
          <input
            className="input"
            type="url"
            value={cpUrl}
            placeholder="https://api.moleculesai.app"
            onChange={(e) => setCpUrl(e.target.value)}
          />
        </label>
        <fieldset className="secrets" disabled={!canStore}>
          <legend>
            Secrets {editing?.hasSecrets ? <span className="muted">(stored; leave empty to keep them)</span> : null}
          </legend>
          {!canStore && <p className="field-error">This host cannot store secrets (see Credential storage).</p>}
          <SecretField label="Admin token (ADMIN_TOKEN)" value={adminToken} onChange={setAdminToken} />
          <SecretField
            label="Provision secret (MOLECULE_CP_SHARED_SECRET)"
            value={provisionSecret}
            onChange={setProvisionSecret}
          />
          <SecretField label="Admin API token (CP_ADMIN_API_TOKEN)" value={adminApiToken} onChange={setAdminApiToken} />
        </fieldset>
      </div>
      {dropsSecrets && (
        <p className="field-error" role="status">
          The stored secrets were entered for the old URL and are removed when this is saved. Enter them again to keep
          using this profile.
        </p>
      )}
      {(problem || save.error) && (
        <p className="field-error" role="alert">
          {problem ?? describeError(save.error).message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn--ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn--primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : dropsSecrets ? "Save and remove secrets" : "Save profile"}
        </button>
      </div>
    </form>
  );
}

function SecretField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label>
      {label}
      <input
        className="input"
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

function check(name: string, tenantUrl: string, orgId: string, cpUrl: string): string | null {
  if (!isProfileName(name.trim())) return "The name must be 1–64 letters, digits, spaces, dots, dashes or underscores.";
  const tenantProblem = baseUrlProblem(tenantUrl.trim(), PROFILE_URL_RULES);
  if (tenantProblem) return `The tenant URL ${tenantProblem}.`;
  if (orgId.trim() === "") return "The org id is required.";
  const cpProblem = cpUrl.trim() === "" ? null : baseUrlProblem(cpUrl.trim(), PROFILE_URL_RULES);
  if (cpProblem) return `The control plane URL ${cpProblem}.`;
  return null;
}
