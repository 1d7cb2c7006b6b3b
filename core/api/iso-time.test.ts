import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iso, isoOrNull } from "./iso-time";

describe("iso", () => {
  it("is Date's toISOString for every time Date can hold", () => {
    const max = 8.64e15;
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -max, max }), fc.double({ min: -max, max, noNaN: true })), (ms) => {
        expect(iso(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
    for (const ms of [
      0,
      -1,
      1,
      -0.5,
      0.5,
      -86_400_000,
      86_399_999,
      max,
      -max,
      Date.parse("2026-06-01T23:59:59.999Z"),
    ]) {
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it("throws as Date does for a time it cannot hold; null stays null", () => {
    iso(8.64e15); // the same day, already seen
    for (const ms of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, -8.64e15 - 1]) {
      expect(() => iso(ms)).toThrow(RangeError);
    }
    expect(isoOrNull(null)).toBeNull();
    expect(isoOrNull(undefined)).toBeNull();
  });
});
