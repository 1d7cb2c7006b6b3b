import { describe, expect, it } from "vitest";
import { emit, formatProvlogLine, isKnownEvent, KNOWN_EVENTS, parseProvlogLine } from "./index";

const cases: [string, Record<string, unknown> | null][] = [
  [
    "provision.start",
    { workspace_id: "ws-1", name: "alpha", tier: 2, runtime: "langgraph", template: "t", sync: true },
  ],
  ["provision.skip_existing", { name: "alpha", existing_id: "ws-1", parent_id: null, tier: 4 }],
  [
    "provision.ec2_started",
    { workspace_id: "ws-1", instance_id: "i-0abc", state: "pending", tier: 1, runtime: "codex" },
  ],
  ["provision.ec2_stopped", { workspace_id: "ws-1", instance_id: "i-0abc" }],
  ["restart.pre_stop", { workspace_id: "ws-1", backend: "none" }],
  ["restart.pre_stop", null],
  [
    "console.note",
    { text: "line1\nline2\r\n<b>&</b>\u2028\u0000 \u{1f600}", nested: { z: [1, { b: 2, a: 1 }], a: -0.5 } },
  ],
];

describe("round trip", () => {
  it("parses every formatted line back to the same name, fields and second", () => {
    const ats = [
      new Date(Date.UTC(2026, 4, 5, 12, 30, 11, 999)),
      new Date(Date.UTC(1999, 11, 31, 23, 59, 59)),
      new Date(Date.UTC(2030, 0, 1, 0, 0, 0)),
    ];
    for (const at of ats) {
      for (const [name, fields] of cases) {
        const line = formatProvlogLine(name, fields, at);
        const parsed = parseProvlogLine(line);
        expect(parsed.kind).toBe("event");
        if (parsed.kind !== "event") continue;
        expect(parsed.name).toBe(name);
        expect(parsed.fields).toEqual(fields ?? {});
        expect(parsed.ts?.getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
        expect(line.endsWith(parsed.fieldsJson)).toBe(true);
      }
    }
  });

  it("round-trips an emitted line read back with a CRLF ending", () => {
    const lines: string[] = [];
    const at = new Date(Date.UTC(2026, 4, 5, 12, 30, 11));
    emit("provision.ec2_stopped", { workspace_id: "ws-9" }, { now: () => at, writer: { write: (l) => lines.push(l) } });
    const parsed = parseProvlogLine(`${lines[0]}\r\n`);
    expect(parsed).toMatchObject({ kind: "event", name: "provision.ec2_stopped", fields: { workspace_id: "ws-9" } });
  });

  it("flags a marshal failure on the way back", () => {
    const parsed = parseProvlogLine(formatProvlogLine("provision.start", { big: 1n }, new Date(0)));
    expect(parsed).toMatchObject({ kind: "event", marshalError: "json: unsupported type: bigint" });
  });
});

describe("KNOWN_EVENTS", () => {
  it("lists the seed's five events, all valid emit names", () => {
    expect(KNOWN_EVENTS).toEqual([
      "provision.start",
      "provision.skip_existing",
      "provision.ec2_started",
      "provision.ec2_stopped",
      "restart.pre_stop",
    ]);
    for (const name of KNOWN_EVENTS) expect(() => formatProvlogLine(name, {}, new Date(0))).not.toThrow();
    expect(isKnownEvent("provision.start")).toBe(true);
    expect(isKnownEvent("provision.unknown")).toBe(false);
  });
});
