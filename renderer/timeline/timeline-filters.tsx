import { useMemo, useState } from "react";
import { isWorkspaceId } from "../../core/api/field-rules";
import type { TimelineFilterInput } from "../../core/api/schemas";
import type { WorkspaceView } from "../../core/api/views";
import { ui } from "../app/ui-state";

const RANGES: ReadonlyArray<{ label: string; ms: number | null }> = [
  { label: "15 min", ms: 15 * 60_000 },
  { label: "1 h", ms: 3_600_000 },
  { label: "24 h", ms: 86_400_000 },
  { label: "7 d", ms: 7 * 86_400_000 },
  { label: "All", ms: null },
];

/** The names offered even before they occur (docs/contracts.md §3 and §4); names seen in the data are added. */
export const KNOWN_EVENT_NAMES: readonly string[] = [
  "provision.start",
  "provision.skip_existing",
  "provision.ec2_started",
  "provision.ec2_stopped",
  "restart.pre_stop",
  "WORKSPACE_PROVISIONING",
  "WORKSPACE_PROVISION_FAILED",
  "WORKSPACE_ONLINE",
  "WORKSPACE_OFFLINE",
  "WORKSPACE_DEGRADED",
  "WORKSPACE_PAUSED",
  "WORKSPACE_HIBERNATED",
  "WORKSPACE_AWAITING_AGENT",
  "WORKSPACE_REMOVED",
];

/** Workspace, time range and event filters; they go to the host (and to the export) as they are. */
export function TimelineFilters({
  filter,
  workspaces,
  eventNames,
  text,
  onText,
}: {
  filter: TimelineFilterInput;
  workspaces: readonly WorkspaceView[];
  eventNames: readonly string[];
  text: string;
  onText: (text: string) => void;
}) {
  const set = (patch: Partial<TimelineFilterInput>) =>
    ui.set((s) => {
      const next: Record<string, unknown> = { ...s.timelineFilter, ...patch };
      for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
      return { timelineFilter: next as TimelineFilterInput };
    });
  const byId = useMemo(() => new Map(workspaces.map((w) => [w.id, w])), [workspaces]);
  const current = filter.workspaceId ? (byId.get(filter.workspaceId)?.name ?? filter.workspaceId) : "";
  const [wsText, setWsText] = useState(current);
  const [wsError, setWsError] = useState<string | null>(null);
  const suggestions = useMemo(() => {
    const q = wsText.trim().toLowerCase();
    return workspaces.filter((w) => q === "" || (w.name ?? w.id).toLowerCase().includes(q)).slice(0, 100);
  }, [wsText, workspaces]);
  const selected = new Set(filter.events ?? []);

  const applyWorkspace = (value: string) => {
    const v = value.trim();
    if (v === "") {
      setWsError(null);
      return set({ workspaceId: undefined });
    }
    const match = byId.get(v) ?? workspaces.find((w) => w.name === v);
    const id = match?.id ?? (isWorkspaceId(v) ? v : null);
    if (!id) return setWsError("not a workspace name or id");
    setWsError(null);
    set({ workspaceId: id });
  };

  return (
    <search className="filters filters--timeline" aria-label="Filter the timeline">
      <input
        className="input"
        list="timeline-workspaces"
        aria-label="Workspace"
        placeholder="Workspace (name or id)"
        value={wsText}
        onChange={(e) => setWsText(e.target.value)}
        onBlur={(e) => applyWorkspace(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") applyWorkspace(e.currentTarget.value);
        }}
        aria-invalid={wsError !== null}
      />
      <datalist id="timeline-workspaces">
        {suggestions.map((w) => (
          <option key={w.id} value={w.name ?? w.id}>
            {w.id}
          </option>
        ))}
      </datalist>
      {wsError && <span className="field-error">{wsError}</span>}
      <TimeBound label="Since" value={filter.since} onChange={(since) => set({ since })} />
      <TimeBound label="Until" value={filter.until} onChange={(until) => set({ until })} />
      <fieldset className="segmented">
        <legend className="visually-hidden">Quick range</legend>
        {RANGES.map((r) => (
          <button
            key={r.label}
            type="button"
            className="btn btn--small btn--ghost"
            onClick={() =>
              set({ since: r.ms === null ? undefined : new Date(Date.now() - r.ms).toISOString(), until: undefined })
            }
          >
            {r.label}
          </button>
        ))}
      </fieldset>
      <details className="multi">
        <summary className="btn btn--small">Events{selected.size > 0 ? ` (${selected.size})` : ": all"}</summary>
        <fieldset className="multi__list">
          <legend className="visually-hidden">Event types</legend>
          {eventNames.map((name) => (
            <label key={name} className="multi__item">
              <input
                type="checkbox"
                checked={selected.has(name)}
                onChange={(e) => {
                  const next = new Set(selected);
                  if (e.target.checked) next.add(name);
                  else next.delete(name);
                  set({ events: next.size > 0 ? [...next].slice(0, 50) : undefined });
                }}
              />
              <span className="mono">{name}</span>
            </label>
          ))}
        </fieldset>
      </details>
      <input
        className="input"
        type="search"
        aria-label="Search events"
        placeholder="Search events and fields"
        value={text}
        onChange={(e) => onText(e.target.value)}
      />
      <button
        type="button"
        className="btn btn--ghost btn--small"
        onClick={() => {
          setWsText("");
          setWsError(null);
          onText("");
          ui.set({ timelineFilter: {} });
        }}
      >
        Reset
      </button>
    </search>
  );
}

/** One end of the time window, typed in local time. */
function TimeBound({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string | number | undefined;
  onChange: (iso: string | undefined) => void;
}) {
  return (
    <label className="inline-field">
      {label}
      <input
        className="input"
        type="datetime-local"
        aria-label={label}
        value={toLocalInput(value)}
        onChange={(e) => onChange(fromLocalInput(e.target.value))}
      />
    </label>
  );
}

function toLocalInput(v: string | number | undefined): string {
  if (v === undefined) return "";
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return "";
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function fromLocalInput(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
