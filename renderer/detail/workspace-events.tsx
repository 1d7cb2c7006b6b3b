import { useQuery } from "@tanstack/react-query";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";
import { ui } from "../app/ui-state";
import { EventHeadRow, EventRow } from "../timeline/event-row";
import { ErrorMessage, StateMessage } from "../ui/state-message";

/** The newest events of one workspace; the Timeline screen has the rest. */
export function WorkspaceEvents({ id }: { id: string }) {
  const client = useOps();
  const events = useQuery({
    queryKey: keys.workspaceEvents(id),
    queryFn: () => client.invoke("timeline.list", { filter: { workspaceId: id }, limit: 5000 }),
  });
  if (events.error) return <ErrorMessage error={events.error} title="The events could not be loaded" />;
  if (!events.data) return <StateMessage tone="loading" title="Loading events…" />;
  const rows = events.data.rows.slice(-200).reverse();
  return (
    <div className="events">
      <p className="muted">
        {events.data.rows.length} events{events.data.more ? "+" : ""}, newest first.{" "}
        <button
          type="button"
          className="btn btn--link"
          onClick={() => ui.set({ screen: "timeline", timelineFilter: { workspaceId: id } })}
        >
          Open in Timeline
        </button>
      </p>
      {rows.length === 0 ? (
        <StateMessage title="No events for this workspace yet" />
      ) : (
        <table className="table table--compact" aria-label="Workspace events">
          <thead>
            <EventHeadRow where={false} />
          </thead>
          <tbody>
            {rows.map((r) => (
              <EventRow key={r.id} event={r} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
