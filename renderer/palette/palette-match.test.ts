import { describe, expect, it } from "vitest";
import { matchScore, rankEntries } from "./palette-match";

describe("matchScore", () => {
  it("prefers exact, prefix, word start, substring, then letters in order", () => {
    const s = (t: string) => matchScore("ana", t);
    expect(s("ana")).toBeGreaterThan(s("analyst"));
    expect(s("analyst")).toBeGreaterThan(s("billing-analyst"));
    expect(s("billing-analyst")).toBeGreaterThan(s("banana"));
    expect(s("banana")).toBeGreaterThan(s("a-n-a"));
    expect(s("xyz")).toBe(-1);
  });
});

describe("rankEntries", () => {
  const entries = [
    { label: "Go to Timeline" },
    { label: "billing-analyst", keywords: "26de298c i-6e8f49872c6f5c214" },
    { label: "research-writer", keywords: "9f50b02d" },
  ];
  it("finds entries by label or keywords", () => {
    expect(rankEntries(entries, "time", 5).map((e) => e.label)).toEqual(["Go to Timeline"]);
    expect(rankEntries(entries, "i-6e8f", 5).map((e) => e.label)).toEqual(["billing-analyst"]);
    expect(rankEntries(entries, "", 2)).toHaveLength(2);
  });
});
