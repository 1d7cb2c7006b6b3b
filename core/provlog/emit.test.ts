import { afterEach, describe, expect, it, vi } from "vitest";
import { emit, formatProvlogLine, type ProvlogWriter } from "./emit";

const AT = new Date(Date.UTC(2026, 4, 5, 12, 30, 11));

function expectSingleLine(line: string): void {
  expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
}

describe("formatProvlogLine", () => {
  it("pins the Go format byte for byte", () => {
    expect(
      formatProvlogLine(
        "provision.ec2_started",
        { workspace_id: "ws-1", instance_id: "i-0abc", state: "pending", tier: 2, runtime: "langgraph" },
        AT,
      ),
    ).toBe(
      '2026/05/05 12:30:11 evt: provision.ec2_started {"instance_id":"i-0abc","runtime":"langgraph","state":"pending","tier":2,"workspace_id":"ws-1"}',
    );
    expect(formatProvlogLine("provision.start", { workspace_id: "ws-1", sync: true }, AT)).toBe(
      '2026/05/05 12:30:11 evt: provision.start {"sync":true,"workspace_id":"ws-1"}',
    );
  });

  it("writes {} for nil or empty fields", () => {
    expect(formatProvlogLine("restart.pre_stop", null, AT)).toBe("2026/05/05 12:30:11 evt: restart.pre_stop {}");
    expect(formatProvlogLine("restart.pre_stop", undefined, AT)).toBe("2026/05/05 12:30:11 evt: restart.pre_stop {}");
    expect(formatProvlogLine("restart.pre_stop", {}, AT)).toBe("2026/05/05 12:30:11 evt: restart.pre_stop {}");
    expect(formatProvlogLine("restart.pre_stop", { only: undefined }, AT)).toBe(
      "2026/05/05 12:30:11 evt: restart.pre_stop {}",
    );
  });

  it("writes the stamp in UTC with zero padding", () => {
    expect(formatProvlogLine("a.b", {}, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe(
      "2026/01/02 03:04:05 evt: a.b {}",
    );
    // The same instant written from a non-UTC offset must not move: the Date is an instant.
    expect(formatProvlogLine("a.b", {}, new Date("2026-01-02T05:04:05+02:00"))).toBe("2026/01/02 03:04:05 evt: a.b {}");
  });

  it("sorts nested keys and escapes HTML characters", () => {
    expect(formatProvlogLine("a.b", { z: { y: 1, x: [{ b: 1, a: "<&>" }] }, a: 0 }, AT)).toBe(
      String.raw`2026/05/05 12:30:11 evt: a.b {"a":0,"z":{"x":[{"a":"\u003c\u0026\u003e","b":1}],"y":1}}`,
    );
  });

  it("falls back to _marshal_err and keeps the event", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: [Record<string, unknown>, string][] = [
      [{ n: 1n }, "json: unsupported type: bigint"],
      [{ c: cyclic }, "json: unsupported value: encountered a cycle via object"],
      [{ n: Number.NaN }, "json: unsupported value: NaN"],
      [{ f: () => 0 }, "json: unsupported type: func"],
    ];
    for (const [fields, message] of cases) {
      expect(formatProvlogLine("provision.start", fields, AT)).toBe(
        `2026/05/05 12:30:11 evt: provision.start {"_marshal_err":"${message}"}`,
      );
    }
  });

  it("JSON-escapes the marshal error message", () => {
    const line = formatProvlogLine(
      "a.b",
      {
        x: {
          toJSON() {
            throw new Error('bad "<value>"\nsecond line');
          },
        },
      },
      AT,
    );
    expect(line).toBe(
      String.raw`2026/05/05 12:30:11 evt: a.b {"_marshal_err":"json: error calling MarshalJSON: bad \"\u003cvalue\u003e\"\nsecond line"}`,
    );
    expectSingleLine(line);
  });

  it("keeps the payload an object even when the types are bypassed", () => {
    const line = formatProvlogLine("a.b", [1, 2] as unknown as Record<string, unknown>, AT);
    expect(line).toBe('2026/05/05 12:30:11 evt: a.b {"_marshal_err":"json: provlog fields must marshal to an object"}');
  });

  it("is a single line whatever the values hold", () => {
    const line = formatProvlogLine(
      "a.b",
      { msg: "one\ntwo\r\nthree\u2028four\u2029", "k\ney": "\u0000\u001b[31m" },
      AT,
    );
    expectSingleLine(line);
    expect(line).toBe(
      String.raw`2026/05/05 12:30:11 evt: a.b {"k\ney":"\u0000\u001b[31m","msg":"one\ntwo\r\nthree\u2028four\u2029"}`,
    );
  });

  it("rejects event names outside the emit pattern", () => {
    for (const name of [
      "",
      "provision",
      "Provision.start",
      "provision.",
      ".start",
      "provision start",
      "a.b\n",
      "1a.b",
    ]) {
      expect(() => formatProvlogLine(name, {}, AT), JSON.stringify(name)).toThrow(TypeError);
    }
    expect(formatProvlogLine("a_1.b_2.c3", {}, AT)).toBe("2026/05/05 12:30:11 evt: a_1.b_2.c3 {}");
  });
});

describe("emit", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("writes one line to the writer and returns it", () => {
    const lines: string[] = [];
    const writer: ProvlogWriter = { write: (l) => lines.push(l) };
    const line = emit("restart.pre_stop", { workspace_id: "ws-1", backend: "cp" }, { now: () => AT, writer });
    expect(line).toBe('2026/05/05 12:30:11 evt: restart.pre_stop {"backend":"cp","workspace_id":"ws-1"}');
    expect(lines).toEqual([line]);
  });

  it("writes to stderr with a trailing newline by default", () => {
    const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const line = emit("provision.ec2_stopped", null, { now: () => AT });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith(`${line}\n`);
  });

  it("uses the current time by default", () => {
    const lines: string[] = [];
    const before = Math.floor(Date.now() / 1000) * 1000;
    const line = emit("a.b", {}, { writer: { write: (l) => lines.push(l) } });
    const stamp = line.slice(0, 19).replace(/^(\d+)\/(\d+)\/(\d+) /, "$1-$2-$3T");
    const written = Date.parse(`${stamp}Z`);
    expect(written).toBeGreaterThanOrEqual(before);
    expect(written).toBeLessThanOrEqual(Date.now());
  });

  it("ignores a failing writer, as Go's log.Printf does", () => {
    const writer: ProvlogWriter = {
      write: () => {
        throw new Error("EPIPE");
      },
    };
    expect(emit("a.b", {}, { now: () => AT, writer })).toBe("2026/05/05 12:30:11 evt: a.b {}");
  });

  it("still throws on a bad name", () => {
    expect(() => emit("Bad Name", {}, { now: () => AT, writer: { write: () => {} } })).toThrow(TypeError);
  });
});
