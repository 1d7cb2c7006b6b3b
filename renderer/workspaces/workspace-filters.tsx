import { useMemo } from "react";
import type { WorkspaceView } from "../../core/api/views";
import { ui } from "../app/ui-state";
import { filterChoices, hasFilters, NO_FILTERS, type WorkspaceFilters } from "./filter-workspaces";
import { KNOWN_RUNTIMES, KNOWN_STATUSES, statusLabel, TIERS } from "./statuses";

/** Filter bar of the workspace table: text (focus with "/"), status, runtime, tier. */
export function WorkspaceFilterBar({
  filters,
  rows,
  shown,
}: {
  filters: WorkspaceFilters;
  rows: readonly WorkspaceView[];
  shown: number;
}) {
  const set = (patch: Partial<WorkspaceFilters>) => ui.set((s) => ({ filters: { ...s.filters, ...patch } }));
  const { statuses, runtimes, counts } = useMemo(() => filterChoices(rows, KNOWN_STATUSES, KNOWN_RUNTIMES), [rows]);
  return (
    <search className="filters" aria-label="Filter workspaces">
      <input
        id="workspace-filter"
        className="input filters__text"
        type="search"
        placeholder="Filter by name, id, instance…  ( / )"
        aria-label="Filter workspaces by text"
        value={filters.text}
        onChange={(e) => set({ text: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === "Escape") set({ text: "" });
          if (e.key === "ArrowDown" || e.key === "Enter") {
            e.preventDefault();
            document.querySelector<HTMLElement>("[role=grid][aria-label=Workspaces]")?.focus();
          }
        }}
        autoComplete="off"
        spellCheck={false}
      />
      <FilterSelect
        label="Status"
        all="All statuses"
        value={filters.status}
        options={statuses.map((st) => [st, `${statusLabel(st)} (${counts.get(st) ?? 0})`])}
        onChange={(status) => set({ status })}
      />
      <FilterSelect
        label="Runtime"
        all="All runtimes"
        value={filters.runtime}
        options={runtimes.map((r) => [r, r])}
        onChange={(runtime) => set({ runtime })}
      />
      <FilterSelect
        label="Tier"
        all="All tiers"
        value={filters.tier}
        options={TIERS.map((t) => [String(t), `Tier ${t}`])}
        onChange={(tier) => set({ tier })}
      />
      <span className="filters__count" aria-live="polite">
        {shown === rows.length ? `${rows.length} workspaces` : `${shown} of ${rows.length}`}
      </span>
      {hasFilters(filters) && (
        <button type="button" className="btn btn--ghost btn--small" onClick={() => ui.set({ filters: NO_FILTERS })}>
          Clear filters
        </button>
      )}
    </search>
  );
}

/** One of the filter bar's choices: everything, or one value. */
function FilterSelect({
  label,
  all,
  value,
  options,
  onChange,
}: {
  label: string;
  all: string;
  value: string;
  options: ReadonlyArray<readonly [value: string, text: string]>;
  onChange: (value: string) => void;
}) {
  return (
    <select className="input" aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{all}</option>
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}
