import { describe, expect, it } from "vitest";
import { parseFaultSpec } from "./fault-spec";

describe("parseFaultSpec (molecule-ops sim --fault <spec>)", () => {
  it.each([
    ["cp.status=503", { route: "cp.status", fault: { kind: "status", status: 503 } }],
    ["cp.status=status:502", { route: "cp.status", fault: { kind: "status", status: 502 } }],
    ["cp.console=slow:5000", { route: "cp.console", fault: { kind: "slow", delayMs: 5000 } }],
    ["cp.status=blackhole", { route: "cp.status", fault: { kind: "blackhole" } }],
    ["cp.console=oversized:52428800", { route: "cp.console", fault: { kind: "oversized", bytes: 52_428_800 } }],
    ["cp.console=oversized:50m", { route: "cp.console", fault: { kind: "oversized", bytes: 52_428_800 } }],
    [
      "cp.console=oversized:64KiB:garbage",
      { route: "cp.console", fault: { kind: "oversized", bytes: 65_536, shape: "garbage" } },
    ],
    ["cp.status=malformed", { route: "cp.status", fault: { kind: "malformed" } }],
    ["tenant.list=unauthorized", { route: "tenant.list", fault: { kind: "unauthorized" } }],
    ["cp.stop=reset", { route: "cp.stop", fault: { kind: "reset" } }],
    ["cp.stop=503x2", { route: "cp.stop", fault: { kind: "status", status: 503 }, times: 2 }],
    ["cp.stop=resetx3", { route: "cp.stop", fault: { kind: "reset" }, times: 3 }],
    ["cp.console=oversized:1mx1", { route: "cp.console", fault: { kind: "oversized", bytes: 1_048_576 }, times: 1 }],
    ["tenant.bootstrap-failed=500", { route: "tenant.bootstrap-failed", fault: { kind: "status", status: 500 } }],
    ["tenant.ws=drop:3000", { route: "tenant.ws", fault: { kind: "drop", afterMs: 3000 } }],
    ["tenant.ws=drop:3000x2", { route: "tenant.ws", fault: { kind: "drop", afterMs: 3000 }, times: 2 }],
    ["tenant.ws=503x1", { route: "tenant.ws", fault: { kind: "status", status: 503 }, times: 1 }],
    ["tenant.ws=blackhole", { route: "tenant.ws", fault: { kind: "blackhole" } }],
    ["cp.status=drop:250", { route: "cp.status", fault: { kind: "drop", afterMs: 250 } }],
    ["tenant.list=429x2", { route: "tenant.list", fault: { kind: "status", status: 429 }, times: 2 }],
    ["tenant.list=429:5", { route: "tenant.list", fault: { kind: "status", status: 429, retryAfter: 5 } }],
    ["tenant.ws=429:0x1", { route: "tenant.ws", fault: { kind: "status", status: 429, retryAfter: 0 }, times: 1 }],
    ["tenant.workspace-events=503", { route: "tenant.workspace-events", fault: { kind: "status", status: 503 } }],
  ])("parses %s", (spec, expected) => {
    expect(parseFaultSpec(spec)).toEqual(expected);
  });

  it("names the valid routes for an unknown route", () => {
    expect(() => parseFaultSpec("cp.nope=503")).toThrow(
      /unknown fault route "cp.nope".*cp\.provision, cp\.stop, cp\.status/,
    );
  });

  it("names the valid kinds for an unknown fault", () => {
    expect(() => parseFaultSpec("cp.status=explode")).toThrow(
      /unknown fault "explode".*status, slow, blackhole, oversized, malformed, unauthorized, reset, drop/,
    );
  });

  it.each([
    ["", /expected <route>=<fault>/],
    ["cp.status", /expected <route>=<fault>/],
    ["=503", /expected <route>=<fault>/],
    ["cp.status=", /unknown fault ""/],
    ["cp.status=99", /unknown fault "99"/],
    ["cp.status=700", /status/],
    ["cp.status=status", /wrong arguments for "status"/],
    ["cp.console=slow", /wrong arguments for "slow"/],
    ["cp.console=slow:soon", /delay \(ms\) must be a whole number/],
    ["cp.console=oversized:lots", /size must be bytes/],
    ["cp.console=oversized:10:zip", /shape must be one of padded-json, json-string, garbage/],
    ["cp.status=blackhole:5", /wrong arguments for "blackhole"/],
    ["cp.stop=503x0", /times must be at least 1/],
    ["tenant.ws=drop", /wrong arguments for "drop"/],
    ["tenant.ws=drop:soon", /drop delay \(ms\) must be a whole number/],
    ["tenant.ws=oversized:1m", /fault "oversized" does not apply to tenant\.ws; valid there: status, slow/],
    ["tenant.ws=malformed", /does not apply to tenant\.ws/],
    ["tenant.list=429:soon", /retry-after \(s\) must be a whole number/],
    ["tenant.list=503:5", /wrong arguments for "503"|unknown fault "503"/],
  ])("rejects %j with a clear message", (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});
