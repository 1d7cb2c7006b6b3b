import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useMemo, useRef, useState } from "react";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";
import { useStoreValue } from "../app/small-store";
import { ui } from "../app/ui-state";
import { ErrorMessage, StateMessage } from "../ui/state-message";
import { useWorkspaceList } from "../workspaces/use-workspace-list";
import { ExportButtons } from "./export-buttons";
import { ImportPanel } from "./import-panel";
import { timeRange } from "./lane-layout";
import { Swimlanes } from "./swimlanes";
import { KNOWN_EVENT_NAMES, TimelineFilters } from "./timeline-filters";
import { TimelineTable } from "./timeline-table";

const LIMIT = 5000;

/** The provisioning timeline: swimlanes per workspace over time, the same events as a table, export and import. */
export function TimelineScreen() {
  const client = useOps();
  const filter = useStoreValue(ui, (s) => s.timelineFilter);
  const workspaces = useWorkspaceList().data?.rows ?? [];
  const [text, setText] = useState("");
  const [picked, setPicked] = useState<number | null>(null);
  const seenEvents = useRef(new Set<string>(KNOWN_EVENT_NAMES));
  const timeline = useQuery({
    queryKey: keys.timeline(filter),
    queryFn: () => client.invoke("timeline.list", { filter, limit: LIMIT }),
    placeholderData: (previous) => previous,
  });
  const names = useMemo(() => new Map(workspaces.map((w) => [w.id, w.name ?? w.id])), [workspaces]);
  const deferredText = useDeferredValue(text);
  const rows = useMemo(() => {
    const all = timeline.data?.rows ?? [];
    for (const r of all) seenEvents.current.add(r.event);
    const q = deferredText.trim().toLowerCase();
    if (!q) return all;
    return all.filter((r) =>
      `${r.event} ${r.workspaceId ?? ""} ${names.get(r.workspaceId ?? "") ?? ""} ${r.instanceId ?? ""} ${r.source} ${r.fields}`
        .toLowerCase()
        .includes(q),
    );
  }, [timeline.data, deferredText, names]);
  // A window with both ends (typed, or zoomed into) is the axis; otherwise the axis fits the
  // events, so "last 24 h" of a quiet tenant does not squeeze its events into one corner.
  const range = useMemo(() => {
    const bounded = filter.since !== undefined && filter.until !== undefined;
    return timeRange(
      rows,
      bounded ? new Date(filter.since as string | number).getTime() : undefined,
      bounded ? new Date(filter.until as string | number).getTime() : undefined,
    );
  }, [rows, filter.since, filter.until]);
  const untimed = rows.filter((r) => !r.ts).length;

  return (
    <div className="timeline">
      <div className="timeline__top">
        <TimelineFilters
          filter={filter}
          workspaces={workspaces}
          eventNames={[...seenEvents.current].sort()}
          text={text}
          onText={setText}
        />
        <ExportButtons filter={filter} />
      </div>
      <ImportPanel />
      {timeline.error && !timeline.data ? (
        <ErrorMessage error={timeline.error} title="The timeline could not be loaded" />
      ) : !timeline.data ? (
        <StateMessage tone="loading" title="Loading the timeline from the cache…" />
      ) : rows.length === 0 ? (
        <StateMessage title="No events match">
          <p>Widen the time range, clear the filters, or import a provisioning log above.</p>
        </StateMessage>
      ) : (
        <>
          <p className="timeline__summary muted" role="status">
            {rows.length} events{timeline.data.more ? ` (the first ${LIMIT}; narrow the filter for the rest)` : ""}
            {untimed > 0 ? `, ${untimed} without a time (table only)` : ""}.
          </p>
          {range && (
            <Swimlanes
              rows={rows}
              range={range}
              names={names}
              picked={picked}
              onPick={setPicked}
              onZoom={(since, until) =>
                ui.set((s) => ({
                  timelineFilter: {
                    ...s.timelineFilter,
                    since: new Date(since).toISOString(),
                    until: new Date(until).toISOString(),
                  },
                }))
              }
            />
          )}
          <TimelineTable rows={rows} names={names} picked={picked} onPick={setPicked} />
        </>
      )}
    </div>
  );
}
