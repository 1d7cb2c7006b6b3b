import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import type { TimelineView } from "../../core/api/views";
import { EventHeadRow, EventRow } from "./event-row";

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
            <EventHeadRow where className="tl-row tl-row--head" />
          </thead>
          <tbody className="tl-table__body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const r = rows[item.index];
              if (!r) return null;
              return (
                <EventRow
                  key={item.key}
                  event={r}
                  names={names}
                  aria-rowindex={item.index + 2}
                  className={`tl-row${picked === r.id ? " tl-row--picked" : ""}`}
                  style={{ transform: `translateY(${item.start - HEAD_HEIGHT}px)` }}
                  onClick={() => onPick(r.id)}
                  data-event-id={r.id}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
