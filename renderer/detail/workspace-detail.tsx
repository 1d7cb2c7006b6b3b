import { useQuery } from "@tanstack/react-query";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";
import { useStoreValue } from "../app/small-store";
import { type DetailTab, ui } from "../app/ui-state";
import { ConsoleViewer } from "../console/console-viewer";
import { RestartTrail } from "../restart/restart-trail";
import { ErrorMessage, StateMessage } from "../ui/state-message";
import { StatusBadge } from "../workspaces/status-badge";
import { useWorkspaceList } from "../workspaces/use-workspace-list";
import { DetailActions } from "./detail-actions";
import { DetailOverview } from "./detail-overview";
import { WorkspaceEvents } from "./workspace-events";

const TABS: ReadonlyArray<{ id: DetailTab; label: string }> = [
  { id: "overview", label: "Overview" },
  { id: "console", label: "Console" },
  { id: "events", label: "Events" },
];

/** One workspace: what the cache knows, its console, its events, and what staff can do to it. */
export function WorkspaceDetail({ id }: { id: string }) {
  const client = useOps();
  const tab = useStoreValue(ui, (s) => s.detailTab);
  const expanded = useStoreValue(ui, (s) => s.detailExpanded);
  const detail = useQuery({
    queryKey: keys.detail(id),
    queryFn: () => client.invoke("workspaces.get", { id }),
    staleTime: 30_000,
  });
  const fromList = useWorkspaceList().data?.rows.find((r) => r.id === id);
  const ws = detail.data?.workspace ?? fromList;
  const label = ws?.name ?? id;

  return (
    <div className="detail">
      <header className="detail__head">
        <div className="detail__title">
          <h2 title={id}>{label}</h2>
          {ws && <StatusBadge status={ws.status} since={ws.since} detail={ws.detail} />}
          <span className="mono muted detail__id">{id}</span>
        </div>
        <div className="detail__tools">
          <button
            type="button"
            className="btn btn--ghost btn--small"
            aria-pressed={expanded}
            onClick={() => ui.set({ detailExpanded: !expanded })}
            title={expanded ? "Show the list again" : "Use the whole width"}
          >
            {expanded ? "Collapse" : "Expand"}
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            aria-label="Close detail"
            onClick={() => ui.set({ selectedId: null, detailExpanded: false })}
          >
            ✕
          </button>
        </div>
      </header>
      {ws && <DetailActions workspace={ws} crash={detail.data?.crash ?? null} />}
      <RestartTrail workspaceId={id} currentInstance={ws?.instanceId ?? null} />
      <div className="tabs" role="tablist" aria-label="Workspace views">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            className="tabs__tab"
            onClick={() => ui.set({ detailTab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="detail__panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "console" ? (
          <ConsoleViewer id={id} label={label} />
        ) : tab === "events" ? (
          <WorkspaceEvents id={id} />
        ) : detail.data ? (
          <DetailOverview detail={detail.data} />
        ) : detail.error ? (
          <ErrorMessage error={detail.error} title="The detail of this workspace could not be loaded" />
        ) : (
          <StateMessage tone="loading" title="Loading the workspace from the cache…" />
        )}
      </div>
    </div>
  );
}
