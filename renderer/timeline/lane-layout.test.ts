import { describe, expect, it } from "vitest";
import type { TimelineView } from "../../core/api/views";
import { clusterMarkers, eventTone, groupLanes, ticks, timeRange, xPercent } from "./lane-layout";

const ev = (id: number, ts: string | null, ws: string | null, event = "provision.start"): TimelineView => ({
  id,
  ts,
  event,
  workspaceId: ws,
  instanceId: null,
  fields: "{}",
  source: "provlog",
});

describe("lanes", () => {
  const rows = [
    ev(1, "2026-11-29T10:00:05Z", "b"),
    ev(2, "2026-11-29T10:00:00Z", "a"),
    ev(3, "2026-11-29T10:00:09Z", "b"),
    ev(4, null, "c"),
    ev(5, "2026-11-29T10:00:07Z", null),
  ];

  it("groups by workspace in order of first event and skips untimed events", () => {
    expect(groupLanes(rows).map((l) => [l.key, l.events.map((e) => e.id)])).toEqual([
      ["a", [2]],
      ["b", [1, 3]],
      ["", [5]],
    ]);
  });

  it("spans the events with a margin, or the filter's bounds", () => {
    const r = timeRange(rows);
    expect(r && xPercent("2026-11-29T10:00:00Z", r)).toBeCloseTo(1.92, 1);
    expect(r && xPercent("2026-11-29T10:00:09Z", r)).toBeCloseTo(98.08, 1);
    const bounded = timeRange(rows, Date.parse("2026-11-29T09:00:00Z"), Date.parse("2026-11-29T11:00:00Z"));
    expect(bounded && xPercent("2026-11-29T10:00:00Z", bounded)).toBeCloseTo(50, 0);
    expect(timeRange([ev(1, null, "a")])).toBeNull();
  });

  it("puts ticks on round times", () => {
    const t = ticks({ min: Date.parse("2026-11-29T10:00:01Z"), max: Date.parse("2026-11-29T10:05:59Z") });
    expect(t.length).toBeGreaterThanOrEqual(3);
    expect(t.every((x) => x % 60_000 === 0)).toBe(true);
  });

  it("colours events by family, unknown names as other", () => {
    expect(eventTone("WORKSPACE_PROVISION_FAILED")).toBe("bad");
    expect(eventTone("provision.ec2_started")).toBe("ok");
    expect(eventTone("provision.ec2_stopped")).toBe("stop");
    expect(eventTone("restart.pre_stop")).toBe("restart");
    expect(eventTone("provision.start")).toBe("provision");
    expect(eventTone("billing.invoice")).toBe("other");
  });
});

describe("clusterMarkers", () => {
  it("merges events closer than the gap, keeps the others apart", () => {
    const range = { min: Date.parse("2026-11-29T10:00:00Z"), max: Date.parse("2026-11-29T11:40:00Z") };
    const events = [
      ev(1, "2026-11-29T10:00:00Z", "a"),
      ev(2, "2026-11-29T10:00:30Z", "a"),
      ev(3, "2026-11-29T10:50:00Z", "a"),
      ev(4, null, "a"),
    ];
    const groups = clusterMarkers(events, range, 1);
    expect(groups.map((g) => g.events.map((e) => e.id))).toEqual([[1, 2], [3]]);
    expect(groups[1]?.x).toBeCloseTo(50, 5);
  });
});
