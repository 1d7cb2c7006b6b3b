import { describe, expect, it } from "vitest";
import { PhaseTicker } from "./phase-ticker";

describe("PhaseTicker (one timer for every workspace's heartbeat)", () => {
  it("beats each item once per interval at anchor + phase, whatever the tick sizes", () => {
    const beats: Array<[string, number, number]> = [];
    const ticker = new PhaseTicker<string>(1000, 10_000, (item, at, cycle) => beats.push([item, at, cycle]));
    ticker.add("a", 0);
    ticker.add("b", 250);
    ticker.add("c", 999);
    for (const now of [10_000, 10_100, 10_250, 10_900, 11_050, 11_999, 12_400]) ticker.tick(now);
    expect(beats).toEqual([
      ["b", 10_250, 0],
      ["c", 10_999, 0],
      ["a", 11_000, 1],
      ["b", 11_250, 1],
      ["c", 11_999, 1],
      ["a", 12_000, 2],
      ["b", 12_250, 2],
    ]);
  });

  it("touches only the beats that fell due: 10,000 items at 3 s are each beaten once per cycle", () => {
    let count = 0;
    const seen = new Map<number, number>();
    const ticker = new PhaseTicker<number>(3000, 0, (item) => {
      count++;
      seen.set(item, (seen.get(item) ?? 0) + 1);
    });
    for (let i = 0; i < 10_000; i++) ticker.add(i, (i * 7919) % 3000);
    for (let now = 1; now <= 3000; now += 50) ticker.tick(now);
    ticker.tick(3000);
    // Phase 0 beats at 0, which is not after the start: it beats first at 3000.
    expect(count).toBe(10_000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it("drops whole cycles a late tick missed, as a Go ticker drops ticks", () => {
    const beats: number[] = [];
    const ticker = new PhaseTicker<string>(100, 0, (_item, at) => beats.push(at));
    ticker.add("x", 10);
    ticker.tick(1_000);
    expect(beats).toEqual([910]);
  });

  it("knows each item's latest beat (the uptime the row holds), and where the one before the first was", () => {
    const ticker = new PhaseTicker<string>(1000, 5000, () => {});
    ticker.add("x", 300);
    expect(ticker.lastBeat("x", 5200)).toBe(4300);
    expect(ticker.lastBeat("x", 5300)).toBe(5300);
    expect(ticker.lastBeat("x", 7299)).toBe(6300);
    expect(ticker.lastBeat("y", 7299)).toBeNull();
  });
});
