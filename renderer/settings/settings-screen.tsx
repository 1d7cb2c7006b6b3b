import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ProfileView, Settings } from "../../core/api/views";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";
import { SHORTCUTS } from "../app/shortcut-list";
import { useProfiles } from "../app/use-active-profile";
import { useSaveSettings } from "../app/use-save-settings";
import { ErrorMessage, StateMessage } from "../ui/state-message";
import { ProfileForm } from "./profile-form";
import { ProfileList } from "./profile-list";

/** Profiles, credential storage, theme, live-status tuning and the keyboard shortcuts. */
export function SettingsScreen() {
  const client = useOps();
  const profiles = useProfiles();
  const info = useQuery({ queryKey: keys.appInfo, queryFn: () => client.invoke("app.info", {}) });
  const settings = useQuery({ queryKey: keys.settings, queryFn: () => client.invoke("settings.get", {}) });
  const [editing, setEditing] = useState<ProfileView | "new" | null>(null);
  const saveSettings = useSaveSettings();
  const canStore = info.data?.credentials.canStore ?? false;

  return (
    <div className="settings">
      <section aria-labelledby="profiles-h" className="card">
        <h2 id="profiles-h">Tenant profiles</h2>
        {profiles.error ? (
          <ErrorMessage error={profiles.error} title="The profiles could not be read" />
        ) : !profiles.data ? (
          <StateMessage tone="loading" title="Loading profiles…" />
        ) : (
          <ProfileList profiles={profiles.data} onEdit={(p) => setEditing(p)} />
        )}
        {editing ? (
          <ProfileForm
            key={editing === "new" ? "new" : editing.name}
            editing={editing === "new" ? null : editing}
            canStore={canStore}
            onDone={() => setEditing(null)}
          />
        ) : (
          <button type="button" className="btn btn--primary" onClick={() => setEditing("new")}>
            Add profile
          </button>
        )}
      </section>

      <section aria-labelledby="creds-h" className="card">
        <h2 id="creds-h">Credential storage</h2>
        {info.data ? (
          <dl className="fields">
            <dt>In use</dt>
            <dd data-testid="credential-kind">{info.data.credentials.kind}</dd>
            <dt>Detail</dt>
            <dd>{info.data.credentials.detail}</dd>
            <dt>Can store secrets</dt>
            <dd>{info.data.credentials.canStore ? "yes" : "no — profiles can be saved without secrets only"}</dd>
            <dt>Host</dt>
            <dd>
              {info.data.host === "electron" ? "desktop app" : "browser host"}, molecule-ops {info.data.version}
            </dd>
          </dl>
        ) : info.error ? (
          <ErrorMessage error={info.error} title="The host did not say" />
        ) : (
          <StateMessage tone="loading" title="Loading…" />
        )}
        <p className="muted">Secrets stay in the host process: this page can send them, never read them back.</p>
      </section>

      <section aria-labelledby="look-h" className="card">
        <h2 id="look-h">Appearance</h2>
        <ThemeChoice theme={settings.data?.theme ?? "system"} onChoose={(theme) => saveSettings({ theme })} />
      </section>

      <section aria-labelledby="live-h" className="card">
        <h2 id="live-h">Live status</h2>
        {settings.data && <LiveSettings settings={settings.data} onSave={(patch) => saveSettings(patch)} />}
      </section>

      <section aria-labelledby="keys-h" className="card">
        <h2 id="keys-h">Keyboard shortcuts</h2>
        <ShortcutTable />
      </section>
    </div>
  );
}

function LiveSettings({ settings, onSave }: { settings: Settings; onSave: (patch: Partial<Settings>) => void }) {
  const [sweep, setSweep] = useState(String(settings.sweepSeconds));
  const [concurrency, setConcurrency] = useState(String(settings.concurrency));
  return (
    <form
      className="form-row"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ sweepSeconds: Number(sweep), concurrency: Number(concurrency) });
      }}
    >
      <NumberField label="Status sweep every (s)" min={5} max={3600} value={sweep} onChange={setSweep} />
      <NumberField label="Checks in flight" min={1} max={256} value={concurrency} onChange={setConcurrency} />
      <button type="submit" className="btn">
        Save
      </button>
      <span className="muted">Applies when a profile's session starts (switch profile or restart the host).</span>
    </form>
  );
}

function NumberField({
  label,
  min,
  max,
  value,
  onChange,
}: {
  label: string;
  min: number;
  max: number;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <input
        className="input input--small"
        type="number"
        min={min}
        max={max}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

export function ShortcutTable() {
  return (
    <table className="table table--compact" aria-label="Keyboard shortcuts">
      <tbody>
        {SHORTCUTS.map((s) => (
          <tr key={s.keys}>
            <td className="nowrap">
              <kbd>{s.keys}</kbd>
            </td>
            <td>{s.does}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Theme = Settings["theme"];

/**
 * The radios follow the click in the same event (React state), not the query cache, whose
 * update lands a task later: a controlled radio would spring back in between.
 */
function ThemeChoice({ theme, onChoose }: { theme: Theme; onChoose: (theme: Theme) => void }) {
  const [picked, setPicked] = useState<Theme | null>(null);
  const [seen, setSeen] = useState(theme);
  if (seen !== theme) {
    // The setting changed (here, by the keyboard, or read back from the host): it wins again.
    setSeen(theme);
    setPicked(null);
  }
  const shown = picked ?? theme;
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme">
      {(["system", "light", "dark"] as const).map((t) => (
        <label key={t} className="segmented__option">
          <input
            type="radio"
            name="theme"
            value={t}
            checked={shown === t}
            onChange={() => {
              setPicked(t);
              onChoose(t);
            }}
          />
          {t === "system" ? "System" : t === "light" ? "Light" : "Dark"}
        </label>
      ))}
    </div>
  );
}
