import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import type { TimelineView } from "../../core/api/views";
import { fullTime, preciseTime } from "../ui/format-time";
import {
  clusterMarkers,
  eventTone,
  groupLanes,
  type MarkerGroup,
  type TimeRange,
  ticks,
  xPercent,
} from "./lane-layout";

const LANE_HEIGHT = 30;
const LABEL_WIDTH = 190;
const MARKER_GAP_PX = 10;

interface Hover {
  group: MarkerGroup;
  label: string;
  left: number;
  top: number;
}

/**
 * Swimlanes, one per workspace, events as markers on a shared time axis. Events too close to
 * tell apart share a marker with a count; hover or focus shows the fields, a click on a shared
 * marker zooms the time range to it.
 */
export function Swimlanes({
  rows,
  range,
  names,
  picked,
  onPick,
  onZoom,
}: {
  rows: readonly TimelineView[];
  range: TimeRange;
  names: ReadonlyMap<string, string>;
  picked: number | null;
  onPick: (id: number) => void;
  onZoom: (sinceMs: number, untilMs: number) => void;
}) {
  const lanes = useMemo(() => groupLanes(rows), [rows]);
  const tickTimes = useMemo(() => ticks(range), [range]);
  const frameRef = useRef<HTMLElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [trackPx, setTrackPx] = useState(800);
  const virtualizer = useVirtualizer({
    count: lanes.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LANE_HEIGHT,
    overscan: 8,
  });

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setTrackPx(Math.max(100, el.clientWidth - LABEL_WIDTH - 16)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const gapPct = (MARKER_GAP_PX / trackPx) * 100;
  const spanMs = range.max - range.min;
  const show = (group: MarkerGroup, label: string, el: HTMLElement) => {
    const frame = frameRef.current?.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    if (!frame) return;
    setHover({ group, label, left: box.left - frame.left + box.width / 2, top: box.bottom - frame.top + 6 });
  };

  return (
    <section className="lanes" aria-label="Swimlanes" ref={frameRef} onMouseLeave={() => setHover(null)}>
      <div className="lanes__axis" aria-hidden="true">
        <div className="lanes__label-spacer" />
        <div className="lanes__ticks">
          {tickTimes.map((t) => {
            const iso = new Date(t).toISOString();
            return (
              <span key={t} className="lanes__tick" style={{ left: `${xPercent(iso, range)}%` }}>
                {spanMs > 2 * 86_400_000
                  ? fullTime(iso).slice(0, 10)
                  : fullTime(iso).slice(11, spanMs > 600_000 ? 16 : 19)}
              </span>
            );
          })}
        </div>
      </div>
      <div className="lanes__scroll" ref={scrollRef}>
        <div className="lanes__body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const lane = lanes[item.index];
            if (!lane) return null;
            const label = lane.key === "" ? "(no workspace)" : (names.get(lane.key) ?? lane.key);
            return (
              <div
                key={lane.key || "-"}
                className="lane"
                style={{ transform: `translateY(${item.start}px)` }}
                data-workspace-id={lane.key}
              >
                <div className="lane__label" title={lane.key}>
                  {label}
                </div>
                <div className="lane__track">
                  {clusterMarkers(lane.events, range, gapPct).map((g) => (
                    <Marker
                      key={g.events[0]?.id}
                      group={g}
                      label={label}
                      picked={picked}
                      onHover={(el) => show(g, label, el)}
                      onLeave={() => setHover(null)}
                      onClick={() => {
                        const first = g.events[0];
                        if (g.events.length === 1 && first) return onPick(first.id);
                        const times = g.events.map((e) => Date.parse(e.ts as string));
                        const lo = Math.min(...times);
                        const hi = Math.max(...times);
                        const pad = Math.max(1000, (hi - lo) * 0.25);
                        setHover(null);
                        onZoom(lo - pad, hi + pad);
                      }}
                    />
                  ))}
                </div>
              </div>
            );
          })}
        </div>
      </div>
      {hover && <GroupTooltip hover={hover} />}
    </section>
  );
}

function Marker({
  group,
  label,
  picked,
  onHover,
  onLeave,
  onClick,
}: {
  group: MarkerGroup;
  label: string;
  picked: number | null;
  onHover: (el: HTMLElement) => void;
  onLeave: () => void;
  onClick: () => void;
}) {
  const first = group.events[0] as TimelineView;
  const many = group.events.length > 1;
  const last = group.events[group.events.length - 1] as TimelineView;
  const tone = many ? toneOf(group.events) : eventTone(first.event);
  const name = many
    ? `${group.events.length} events from ${fullTime(first.ts)} to ${fullTime(last.ts)} (${label}); click to zoom in`
    : `${first.event} at ${fullTime(first.ts)} (${label})`;
  return (
    <button
      type="button"
      className={`marker marker--${tone}${many ? " marker--group" : ""}${group.events.some((e) => e.id === picked) ? " marker--picked" : ""}`}
      style={{ left: `${group.x}%` }}
      aria-label={name}
      data-event={many ? undefined : first.event}
      onMouseEnter={(e) => onHover(e.currentTarget)}
      onFocus={(e) => onHover(e.currentTarget)}
      onBlur={onLeave}
      onClick={onClick}
    >
      {many ? group.events.length : null}
    </button>
  );
}

/** A group takes the colour of its most serious event. */
function toneOf(events: readonly TimelineView[]): string {
  const tones = events.map((e) => eventTone(e.event));
  for (const t of ["bad", "stop", "warn", "restart", "ok", "provision", "rest"]) if (tones.includes(t)) return t;
  return "other";
}

const TOOLTIP_MAX = 8;

function GroupTooltip({ hover }: { hover: Hover }) {
  const { group } = hover;
  return (
    <div className="tooltip" role="tooltip" style={{ left: hover.left, top: hover.top }}>
      {group.events.length === 1 ? (
        <EventFields event={group.events[0] as TimelineView} label={hover.label} />
      ) : (
        <>
          <div className="tooltip__title">
            {group.events.length} events · {hover.label}
          </div>
          {group.events.slice(0, TOOLTIP_MAX).map((e) => (
            <div key={e.id} className="tooltip__event">
              <EventFields event={e} label={null} />
            </div>
          ))}
          {group.events.length > TOOLTIP_MAX && (
            <p className="muted">+{group.events.length - TOOLTIP_MAX} more: click to zoom in.</p>
          )}
        </>
      )}
    </div>
  );
}

function EventFields({ event: e, label }: { event: TimelineView; label: string | null }) {
  let fields: Array<[string, string]>;
  try {
    const parsed = JSON.parse(e.fields) as Record<string, unknown>;
    fields = Object.entries(parsed)
      .filter(([k, v]) => k !== "workspace_id" && !(k === "instance_id" && v === e.instanceId))
      .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
  } catch {
    fields = [["fields", e.fields]];
  }
  return (
    <>
      <div className="tooltip__name mono">{e.event}</div>
      <dl className="tooltip__fields">
        <dt>time</dt>
        <dd>
          {fullTime(e.ts)} <span className="muted">{preciseTime(e.ts)}</span>
        </dd>
        {label !== null && (
          <>
            <dt>workspace</dt>
            <dd>
              {label} <span className="mono muted">{e.workspaceId ?? "—"}</span>
            </dd>
          </>
        )}
        {e.instanceId && (
          <>
            <dt>instance</dt>
            <dd className="mono">{e.instanceId}</dd>
          </>
        )}
        <dt>source</dt>
        <dd>{e.source}</dd>
        {fields.map(([k, v]) => (
          <FieldPair key={k} name={k} value={v} />
        ))}
      </dl>
    </>
  );
}

function FieldPair({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd className="mono">{value.length > 300 ? `${value.slice(0, 300)}…` : value}</dd>
    </>
  );
}
