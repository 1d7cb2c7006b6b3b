import { describe, expect, it } from "vitest";
import { formatAccessLine } from "./access-log";
import { bootstrapReport, truncateUtf8 } from "./bootstrap-report";
import { goJson, goMap, jsonbOrder } from "./go-json-body";
import { formatGinStamp, formatGoDuration, formatPgTime, formatRfc3339Nano } from "./go-time-format";
import { parseUuid, postgresUuid } from "./uuid";

describe("Go's time formats", () => {
  it("RFC3339Nano trims trailing fraction zeros (time.Time MarshalJSON)", () => {
    const base = BigInt(Date.parse("2026-12-03T07:45:44Z")) * 1_000_000n;
    expect(formatRfc3339Nano(base)).toBe("2026-12-03T07:45:44Z");
    expect(formatRfc3339Nano(base + 123_456_789n)).toBe("2026-12-03T07:45:44.123456789Z");
    expect(formatRfc3339Nano(base + 120_000_000n)).toBe("2026-12-03T07:45:44.12Z");
    expect(formatPgTime(Date.parse("2026-12-03T07:45:44Z") * 1000 + 123_456)).toBe("2026-12-03T07:45:44.123456Z");
    expect(formatPgTime(Date.parse("2026-12-03T07:45:44Z") * 1000 + 500_000)).toBe("2026-12-03T07:45:44.5Z");
  });

  it("time.Duration.String and gin's stamp, for access lines", () => {
    expect(formatGoDuration(850n)).toBe("850ns");
    expect(formatGoDuration(12_500n)).toBe("12.5µs");
    expect(formatGoDuration(1_234_567n)).toBe("1.234567ms");
    expect(formatGoDuration(2_000_000_000n)).toBe("2s");
    expect(formatGoDuration(62_500_000_000n)).toBe("1m2.5s");
    expect(formatGinStamp(Date.parse("2026-05-05T12:30:11Z"))).toBe("2026/05/05 - 12:30:11");
    expect(
      formatAccessLine({
        at: Date.parse("2026-05-05T12:30:11Z"),
        status: 200,
        latencyNs: 1_234_567n,
        clientIp: "10.0.3.4",
        method: "GET",
        path: "/workspaces",
      }),
    ).toBe('[GIN] 2026/05/05 - 12:30:11 | 200 |    1.234567ms |        10.0.3.4 | GET      "/workspaces"');
  });
});

describe("encoding/json and jsonb", () => {
  it("escapes <, >, & and U+2028/2029 as Go does, and sorts a map's keys", () => {
    expect(goJson({ a: "<b> & \u2028" })).toBe('{"a":"\\u003cb\\u003e \\u0026 \\u2028"}');
    expect(Object.keys(goMap({ uptime_seconds: 1, active_tasks: 2 }))).toEqual(["active_tasks", "uptime_seconds"]);
  });

  it("reads a jsonb value back with shorter keys first, then bytewise, at every level", () => {
    const value = jsonbOrder({ runtime: "x", tier: 2, name: "n", nested: { bb: 1, a: 2 } });
    expect(Object.keys(value)).toEqual(["name", "tier", "nested", "runtime"]);
    expect(Object.keys(value.nested)).toEqual(["a", "bb"]);
  });
});

describe("BootstrapFailed's arithmetic", () => {
  it("cuts the tail to its last 8192 bytes after a marker, and last_sample_error to 8192 bytes at a character boundary", () => {
    const r = bootstrapReport("boom", "y".repeat(9000));
    expect(r.logTail).toBe(`...(truncated)...\n${"y".repeat(8192)}`);
    expect(Buffer.byteLength(r.sampleError)).toBe(8192);
    expect(r.invalidUtf8).toBe(false);
    expect(truncateUtf8("aé", 2)).toBe("a");
    expect(bootstrapReport("\u0085 x \u00a0", "").error).toBe("x");
    expect(bootstrapReport("\ufeff", "").error).toBe("\ufeff");
  });
});

describe("workspace ids", () => {
  it("parses as google/uuid does, and as Postgres' uuid column accepts", () => {
    const id = "3f2a9c4e-8b1d-4e7f-9a6b-2c5d8e1f0a3b";
    expect(parseUuid(id.toUpperCase())).toBe(id);
    expect(parseUuid(`{${id}}`)).toBe(id);
    expect(parseUuid(id.replaceAll("-", ""))).toBe(id);
    expect(parseUuid(`urn:uuid:${id}`)).toBe(id);
    expect(postgresUuid(`urn:uuid:${id}`)).toBeNull();
    for (const bad of ["nope", `${id}0`, id.slice(1), ""]) expect(parseUuid(bad)).toBeNull();
  });
});
