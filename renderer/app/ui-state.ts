import type { TimelineFilterInput } from "../../core/api/schemas";
import { NO_FILTERS, type SortOrder, type WorkspaceFilters } from "../workspaces/filter-workspaces";
import { createStore } from "./small-store";

export type Screen = "workspaces" | "timeline" | "doctor" | "settings";
export type DetailTab = "overview" | "console" | "events";

export interface UiState {
  screen: Screen;
  selectedId: string | null;
  detailTab: DetailTab;
  /** The detail panel takes the whole width. */
  detailExpanded: boolean;
  filters: WorkspaceFilters;
  sort: SortOrder;
  timelineFilter: TimelineFilterInput;
  /** The workspace whose restart confirmation is open. */
  restartFor: string | null;
  paletteOpen: boolean;
  helpOpen: boolean;
}

/** Navigation and view state, kept outside React so screens keep it when they unmount. */
export const ui = createStore<UiState>({
  screen: "workspaces",
  selectedId: null,
  detailTab: "overview",
  detailExpanded: false,
  filters: NO_FILTERS,
  sort: { key: "name", dir: "asc" },
  timelineFilter: {},
  restartFor: null,
  paletteOpen: false,
  helpOpen: false,
});

/** Scroll offset of the workspace table, restored when it mounts again (not state: no re-render). */
export const tableScroll = { offset: 0 };

export function openWorkspace(id: string, tab: DetailTab = "overview"): void {
  ui.set({ screen: "workspaces", selectedId: id, detailTab: tab });
}

/** Moves focus to an element once React has rendered it. */
export function focusSoon(selector: string): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>(selector);
    el?.focus();
    if (el instanceof HTMLInputElement) el.select();
  });
}
