import { useCallback, useDeferredValue, useMemo } from "react";
import { useStoreValue } from "../app/small-store";
import { openWorkspace, ui } from "../app/ui-state";
import { WorkspaceDetail } from "../detail/workspace-detail";
import { ErrorMessage, StateMessage } from "../ui/state-message";
import { filterWorkspaces, hasFilters, NO_FILTERS, type SortKey, sortWorkspaces } from "./filter-workspaces";
import { useWorkspaceList } from "./use-workspace-list";
import { WorkspaceFilterBar } from "./workspace-filters";
import { WorkspaceTable } from "./workspace-table";

/** The list staff live in, with the selected workspace's detail beside it. */
export function WorkspacesScreen() {
  const list = useWorkspaceList();
  const filters = useStoreValue(ui, (s) => s.filters);
  const sort = useStoreValue(ui, (s) => s.sort);
  const selectedId = useStoreValue(ui, (s) => s.selectedId);
  const expanded = useStoreValue(ui, (s) => s.detailExpanded);
  const deferredFilters = useDeferredValue(filters);
  const rows = list.data?.rows;
  const visible = useMemo(
    () => sortWorkspaces(filterWorkspaces(rows ?? [], deferredFilters), sort),
    [rows, deferredFilters, sort],
  );
  const onSelect = useCallback((id: string) => ui.set({ selectedId: id }), []);
  const onOpen = useCallback((id: string) => openWorkspace(id, "console"), []);
  const onSort = useCallback(
    (key: SortKey) =>
      ui.set((s) => ({ sort: { key, dir: s.sort.key === key && s.sort.dir === "asc" ? "desc" : "asc" } })),
    [],
  );

  let body: React.ReactNode;
  if (list.isPending) {
    body = <StateMessage tone="loading" title="Loading workspaces from the local cache…" />;
  } else if (list.error && !rows) {
    body = <ErrorMessage error={list.error} title="The workspace list could not be loaded" action={<SettingsLink />} />;
  } else if ((rows?.length ?? 0) === 0) {
    body = (
      <StateMessage title="No workspaces in the cache yet">
        <p>
          The first sync with the tenant may still be running; the list fills in by itself when it commits. If it stays
          empty, check the tenant profile in Settings, or press Shift+R to sync now.
        </p>
      </StateMessage>
    );
  } else {
    body = (
      <>
        <WorkspaceTable
          rows={visible}
          selectedId={selectedId}
          sort={sort}
          onSelect={onSelect}
          onOpen={onOpen}
          onSort={onSort}
        />
        {visible.length === 0 && hasFilters(filters) && (
          <StateMessage
            title="No workspace matches these filters"
            action={
              <button type="button" className="btn" onClick={() => ui.set({ filters: NO_FILTERS })}>
                Clear filters
              </button>
            }
          />
        )}
      </>
    );
  }

  return (
    <div className={`split${selectedId ? " split--detail" : ""}${selectedId && expanded ? " split--expanded" : ""}`}>
      {!(selectedId && expanded) && (
        <section className="split__list" aria-label="Workspace list">
          <WorkspaceFilterBar filters={filters} rows={rows ?? []} shown={visible.length} />
          {body}
        </section>
      )}
      {selectedId && (
        <section className="split__detail" aria-label="Workspace detail">
          <WorkspaceDetail id={selectedId} />
        </section>
      )}
    </div>
  );
}

function SettingsLink() {
  return (
    <button type="button" className="btn" onClick={() => ui.set({ screen: "settings" })}>
      Open Settings
    </button>
  );
}
