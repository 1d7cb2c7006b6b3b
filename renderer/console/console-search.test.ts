import { describe, expect, it } from "vitest";
import { markSegments, searchLines, stepMatch } from "./console-search";

const lines = [{ text: "Started cloud-init" }, { text: "no match here" }, { text: "CLOUD cloud Cloud" }];

describe("searchLines", () => {
  it("finds every occurrence, case-insensitively by default", () => {
    expect(searchLines(lines, "cloud")).toEqual([
      { line: 0, start: 8, end: 13 },
      { line: 2, start: 0, end: 5 },
      { line: 2, start: 6, end: 11 },
      { line: 2, start: 12, end: 17 },
    ]);
    expect(searchLines(lines, "cloud", { caseSensitive: true })).toHaveLength(2);
  });

  it("treats the query as text, not a pattern", () => {
    expect(searchLines([{ text: "a.b (x) [y]" }], "(x)")).toEqual([{ line: 0, start: 4, end: 7 }]);
    expect(searchLines([{ text: "abc" }], ".")).toEqual([]);
  });

  it("caps the count", () => {
    expect(searchLines([{ text: "aaaa" }], "a", { max: 3 })).toHaveLength(3);
  });

  it("searches 256 KiB in well under 100 ms", () => {
    const text = "cloud-init[1181]: ci-info: | ens5 | True | 10.0.2.53 | 255.255.240.0 | global |";
    const big = Array.from({ length: Math.ceil((256 * 1024) / text.length) }, (_, i) => ({ text: `${i} ${text}` }));
    const t0 = performance.now();
    const found = searchLines(big, "global");
    expect(performance.now() - t0).toBeLessThan(100);
    expect(found.length).toBe(big.length);
  });
});

describe("stepMatch", () => {
  it("wraps both ways", () => {
    expect(stepMatch(3, 2, 1)).toBe(0);
    expect(stepMatch(3, 0, -1)).toBe(2);
    expect(stepMatch(3, -1, 1)).toBe(0);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });
});

describe("markSegments", () => {
  it("cuts coloured segments at match boundaries", () => {
    const segs = [
      { text: "[", cls: "" },
      { text: "  OK  ", cls: "a-fg2" },
      { text: "] Started", cls: "" },
    ];
    expect(
      markSegments(segs, [
        { start: 3, end: 5, current: false },
        { start: 7, end: 10, current: true },
      ]),
    ).toEqual([
      { text: "[", cls: "", mark: 0 },
      { text: "  ", cls: "a-fg2", mark: 0 },
      { text: "OK", cls: "a-fg2", mark: 1 },
      { text: "  ", cls: "a-fg2", mark: 0 },
      { text: "] S", cls: "", mark: 2 },
      { text: "tarted", cls: "", mark: 0 },
    ]);
  });

  it("returns the segments unmarked without ranges", () => {
    expect(markSegments([{ text: "x", cls: "a-b" }], [])).toEqual([{ text: "x", cls: "a-b", mark: 0 }]);
  });
});
