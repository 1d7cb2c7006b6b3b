import { describe, expect, it } from "vitest";
import { clockTime, elapsed, formatBytes, timeAgo } from "./format-time";

describe("time formats", () => {
  it("shows the date only for other days", () => {
    const now = new Date(2026, 10, 29, 12, 0, 0);
    expect(clockTime(new Date(2026, 10, 29, 9, 5, 7).toISOString(), now)).toBe("09:05:07");
    expect(clockTime(new Date(2026, 10, 2, 9, 5, 7).toISOString(), now)).toBe("2026-11-02 09:05:07");
    expect(clockTime(null, now)).toBe("—");
  });

  it("says how long ago", () => {
    const now = Date.parse("2026-11-29T12:00:00Z");
    expect(timeAgo("2026-11-29T11:59:58Z", now)).toBe("just now");
    expect(timeAgo("2026-11-29T11:59:00Z", now)).toBe("1 min ago");
    expect(timeAgo("2026-11-29T09:00:00Z", now)).toBe("3 h ago");
    expect(timeAgo(null, now)).toBe("never");
  });

  it("formats durations and sizes", () => {
    expect(elapsed("2026-11-29T12:00:00.000Z", "2026-11-29T12:00:00.250Z")).toBe("+250 ms");
    expect(elapsed("2026-11-29T12:00:00.000Z", "2026-11-29T12:00:03.500Z")).toBe("+3.50 s");
    expect(formatBytes(262_144)).toBe("256.0 KiB");
  });
});
