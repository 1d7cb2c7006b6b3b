import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import type { TimelineView } from "../../core/api/views";
import { fullTime } from "../ui/format-time";

const ROW_HEIGHT = 28;
const HEAD_HEIGHT = 30;

/** Every event of the filter, oldest first, virtualized like the workspace list. */
export function TimelineTable({
  rows,
  names,
  picked,
  onPick,
}: {
  rows: readonly TimelineView[];
  names: ReadonlyMap<string, string>;
  picked: number | null;
  onPick: (id: number) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
  });
  useEffect(() => {
    if (picked === null) return;
    const i = rows.findIndex((r) => r.id === picked);
    if (i !== -1) virtualizer.scrollToIndex(i, { align: "center" });
  }, [picked, rows, virtualizer]);

  return (
    <div className="tl-table">
      <div className="tl-table__scroll" ref={scrollRef}>
        <table className="tl-grid" aria-label="Timeline events" aria-rowcount={rows.length + 1}>
          <thead className="tl-grid__head">
            <tr className="tl-row tl-row--head">
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Workspace</th>
              <th scope="col">Instance</th>
              <th scope="col">Source</th>
              <th scope="col">Fields</th>
            </tr>
          </thead>
          <tbody className="tl-table__body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const r = rows[item.index];
              if (!r) return null;
              return (
                <tr
                  key={item.key}
                  aria-rowindex={item.index + 2}
                  className={`tl-row${picked === r.id ? " tl-row--picked" : ""}`}
                  style={{ transform: `translateY(${item.start - HEAD_HEIGHT}px)` }}
                  onClick={() => onPick(r.id)}
                  data-event-id={r.id}
                >
                  <td className="nowrap">{fullTime(r.ts)}</td>
                  <td className="mono">{r.event}</td>
                  <td className="ellipsis" title={r.workspaceId ?? ""}>
                    {r.workspaceId ? (names.get(r.workspaceId) ?? r.workspaceId) : "—"}
                  </td>
                  <td className="mono">{r.instanceId ?? "—"}</td>
                  <td>{r.source}</td>
                  <td className="mono ellipsis" title={r.fields}>
                    {r.fields}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
