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
      <select
        className="input"
        aria-label="Status"
        value={filters.status}
        onChange={(e) => set({ status: e.target.value })}
      >
        <option value="">All statuses</option>
        {statuses.map((s) => (
          <option key={s} value={s}>
            {statusLabel(s)} ({counts.get(s) ?? 0})
          </option>
        ))}
      </select>
      <select
        className="input"
        aria-label="Runtime"
        value={filters.runtime}
        onChange={(e) => set({ runtime: e.target.value })}
      >
        <option value="">All runtimes</option>
        {runtimes.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <select className="input" aria-label="Tier" value={filters.tier} onChange={(e) => set({ tier: e.target.value })}>
        <option value="">All tiers</option>
        {TIERS.map((t) => (
          <option key={t} value={String(t)}>
            Tier {t}
          </option>
        ))}
      </select>
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
