import { describe, expect, it } from "vitest";
import { formatGoLogTimestamp, goStampEnd, parseGoTimestamp, rfc3339StampEnd, rfc3339StampTime } from "./go-time";

describe("formatGoLogTimestamp", () => {
  it("writes UTC, zero-padded", () => {
    expect(formatGoLogTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 999)))).toBe("2026/01/02 03:04:05");
    expect(formatGoLogTimestamp(new Date(Date.UTC(2026, 11, 31, 23, 59, 59)))).toBe("2026/12/31 23:59:59");
  });

  it("pads small years to four digits", () => {
    const d = new Date(0);
    d.setUTCFullYear(7, 0, 1);
    expect(formatGoLogTimestamp(d)).toBe("0007/01/01 00:00:00");
  });

  it("rejects an invalid Date", () => {
    expect(() => formatGoLogTimestamp(new Date(Number.NaN))).toThrow(TypeError);
  });
});

describe("parseGoTimestamp", () => {
  it("reads the Go logger stamp as UTC", () => {
    expect(parseGoTimestamp("2026/05/05 12:30:11")?.toISOString()).toBe("2026-05-05T12:30:11.000Z");
  });

  it("reads microseconds (Lmicroseconds) and keeps milliseconds", () => {
    expect(parseGoTimestamp("2026/05/05 12:30:11.123456")?.toISOString()).toBe("2026-05-05T12:30:11.123Z");
    expect(parseGoTimestamp("2026/05/05 12:30:11.5")?.toISOString()).toBe("2026-05-05T12:30:11.500Z");
  });

  it("returns null for dates the calendar does not have", () => {
    expect(parseGoTimestamp("2026/13/45 12:30:11")).toBeNull();
    expect(parseGoTimestamp("2026/02/29 00:00:00")).toBeNull();
    expect(parseGoTimestamp("2028/02/29 00:00:00")?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
    expect(parseGoTimestamp("2026/05/05 24:00:00")).toBeNull();
    expect(parseGoTimestamp("2026/05/05 12:60:00")).toBeNull();
  });

  it("agrees with Date across the years Go can write", () => {
    // A fixed-seed LCG: reproducible spread of instants over 0000–9999, leap days included.
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const year0 = new Date(0);
    year0.setUTCFullYear(0, 0, 1);
    const min = year0.getTime();
    const max = Date.UTC(9999, 11, 31, 23, 59, 59);
    for (let i = 0; i < 2000; i++) {
      const at = new Date(Math.floor((min + next() * (max - min)) / 1000) * 1000);
      const stamp = formatGoLogTimestamp(at);
      expect(parseGoTimestamp(stamp)?.getTime(), stamp).toBe(at.getTime());
    }
    expect(parseGoTimestamp("2000/02/29 12:00:00")?.toISOString()).toBe("2000-02-29T12:00:00.000Z");
    expect(parseGoTimestamp("1900/02/29 12:00:00")).toBeNull();
  });

  it("does not map years below 100 into the 1900s", () => {
    expect(parseGoTimestamp("0050/01/01 00:00:00")?.getUTCFullYear()).toBe(50);
  });

  it("returns null for anything that is not exactly a stamp", () => {
    for (const s of [
      "",
      "2026/05/05",
      "2026-05-05 12:30:11",
      "2026/05/05 12:30:11 ",
      "2026/05/05 12:30:11.",
      "2026/5/05 12:30:11",
      "x026/05/05 12:30:11",
    ]) {
      expect(parseGoTimestamp(s), s).toBeNull();
    }
  });
});

describe("goStampEnd", () => {
  it("finds the end of a stamp inside a line, fraction included", () => {
    const s = "2026/05/05 12:30:11.123456 evt: a.b {}";
    expect(goStampEnd(s, 0, s.length)).toBe(26);
    expect(goStampEnd(`xx${s}`, 2, s.length + 2)).toBe(28);
    expect(goStampEnd("2026/05/05 12:30", 0, 16)).toBe(-1);
  });
});

describe("RFC 3339 stamps", () => {
  function read(s: string): { end: number; ts: Date | null } {
    const end = rfc3339StampEnd(s, 0, s.length);
    return { end, ts: end < 0 ? null : rfc3339StampTime(s, 0, end) };
  }

  it("reads Docker's nanosecond stamp", () => {
    const m = read("2026-05-05T12:30:11.123456789Z rest");
    expect(m.end).toBe(30);
    expect(m.ts?.toISOString()).toBe("2026-05-05T12:30:11.123Z");
  });

  it("reads a stamp without a fraction, and a lower-case t/z", () => {
    expect(read("2026-05-05T12:30:11Z").ts?.toISOString()).toBe("2026-05-05T12:30:11.000Z");
    expect(read("2026-05-05t12:30:11.5z").ts?.toISOString()).toBe("2026-05-05T12:30:11.500Z");
  });

  it("applies a numeric offset", () => {
    expect(read("2026-05-05T14:30:11+02:00").ts?.toISOString()).toBe("2026-05-05T12:30:11.000Z");
    expect(read("2026-05-05T12:00:11.250-00:30").ts?.toISOString()).toBe("2026-05-05T12:30:11.250Z");
  });

  it("gives no instant for an impossible date or offset, but still finds the end", () => {
    expect(read("2026-02-30T00:00:00Z")).toEqual({ end: 20, ts: null });
    expect(read("2026-05-05T12:30:11+25:00")).toEqual({ end: 25, ts: null });
  });

  it("needs a zone", () => {
    expect(read("2026-05-05T12:30:11 evt").end).toBe(-1);
    expect(read("2026-05-05T12:30:11.").end).toBe(-1);
  });
});
