import { describe, expect, it } from "vitest";
import { type ParsedLine, parseProvlogLine } from "./parse";

const STARTED = '{"instance_id":"i-0abc","runtime":"langgraph","state":"pending","tier":2,"workspace_id":"ws-1"}';
const TS = "2026-05-05T12:30:11.000Z";

function event(line: string): Extract<ParsedLine, { kind: "event" }> {
  const r = parseProvlogLine(line);
  if (r.kind !== "event") throw new Error(`expected an event, got ${JSON.stringify(r)}`);
  return r;
}

function malformed(line: string): Extract<ParsedLine, { kind: "malformed" }> {
  const r = parseProvlogLine(line);
  if (r.kind !== "malformed") throw new Error(`expected malformed, got ${JSON.stringify(r)}`);
  return r;
}

describe("parseProvlogLine: records", () => {
  it("reads a Go logger line", () => {
    const r = event(`2026/05/05 12:30:11 evt: provision.ec2_started ${STARTED}`);
    expect(r).toEqual({
      kind: "event",
      ts: new Date(TS),
      name: "provision.ec2_started",
      fields: { instance_id: "i-0abc", runtime: "langgraph", state: "pending", tier: 2, workspace_id: "ws-1" },
      fieldsJson: STARTED,
    });
    expect("marshalError" in r).toBe(false);
    expect("hadNul" in r).toBe(false);
  });

  it("reads a line without a stamp (piped logs)", () => {
    const r = event('evt: provision.start {"sync":true,"workspace_id":"ws-1"}');
    expect(r.ts).toBeNull();
    expect(r.name).toBe("provision.start");
    expect(r.fields).toEqual({ sync: true, workspace_id: "ws-1" });
  });

  it("reads a stamp with microseconds", () => {
    const r = event("2026/05/05 12:30:11.123456 evt: restart.pre_stop {}");
    expect(r.ts?.toISOString()).toBe("2026-05-05T12:30:11.123Z");
    expect(r.fields).toEqual({});
  });

  it("reads Docker's RFC 3339 stamp", () => {
    const r = event('2026-05-05T12:30:11.123456789Z evt: provision.ec2_stopped {"workspace_id":"ws-1"}');
    expect(r.ts?.toISOString()).toBe("2026-05-05T12:30:11.123Z");
    expect(r.name).toBe("provision.ec2_stopped");
  });

  it("reads Docker's stamp in front of the Go stamp, preferring Docker's", () => {
    const r = event("2026-05-05T12:30:11.987654321Z 2026/05/05 12:30:10 evt: restart.pre_stop {}");
    expect(r.ts?.toISOString()).toBe("2026-05-05T12:30:11.987Z");
  });

  it("strips CRLF and LF endings", () => {
    expect(event("2026/05/05 12:30:11 evt: a.b {}\r\n").fieldsJson).toBe("{}");
    expect(event("2026/05/05 12:30:11 evt: a.b {}\n").fieldsJson).toBe("{}");
    expect(event("2026/05/05 12:30:11 evt: a.b {}\r").fieldsJson).toBe("{}");
    expect(malformed("evt: a.b\r\n").reason).toBe("missing payload");
  });

  it("removes and flags NUL bytes before and inside the line", () => {
    const before = event(`\0\0\0\u00002026/05/05 12:30:11 evt: a.b {"x":1}`);
    expect(before.hadNul).toBe(true);
    expect(before.ts?.toISOString()).toBe(TS);
    expect(before.fields).toEqual({ x: 1 });
    const inside = event('2026/05/05 12:30:11 evt: a.b {"x":"a\0b"}\0\r\n');
    expect(inside.hadNul).toBe(true);
    expect(inside.fields).toEqual({ x: "ab" });
    expect(malformed("\0evt: a.b {").hadNul).toBe(true);
  });

  it("reads a record after a long NUL run (copytruncate)", () => {
    const r = event(`${"\0".repeat(100_000)}2026/05/05 12:30:11 evt: a.b {"x":1}`);
    expect(r).toMatchObject({ hadNul: true, name: "a.b", fields: { x: 1 } });
  });

  it("finds NULs far into a record's payload", () => {
    const r = event(`evt: a.b {"x":"${"y".repeat(200)}\0"}`);
    expect(r.hadNul).toBe(true);
    expect(r.fieldsJson).toBe(`{"x":"${"y".repeat(200)}"}`);
  });

  it("leaves noise noise whatever NULs it holds", () => {
    expect(parseProvlogLine(`2026/05/05 12:30:11 prose ${"z".repeat(200)}\0\0`)).toEqual({ kind: "noise" });
    expect(parseProvlogLine("\0\0\0")).toEqual({ kind: "noise" });
  });

  it("keeps unknown event names", () => {
    const r = event('2026/05/05 12:30:11 evt: workspace.hibernate_v2:beta-1 {"a":1}');
    expect(r.name).toBe("workspace.hibernate_v2:beta-1");
    expect(event("evt: UPPER {}").name).toBe("UPPER");
  });

  it("keeps unknown fields and big numbers verbatim in fieldsJson", () => {
    const json = '{"workspace_id":"ws-1","new_field":{"nested":[1,2]},"bytes":12345678901234567890,"z":1.50}';
    const r = event(`2026/05/05 12:30:11 evt: provision.start ${json}`);
    expect(r.fieldsJson).toBe(json);
    expect(r.fields.new_field).toEqual({ nested: [1, 2] });
    expect(r.fieldsJson).toContain("12345678901234567890");
  });

  it("tolerates extra whitespace around the payload", () => {
    expect(event("evt: a.b   {}  ").fieldsJson).toBe("{}");
  });

  it("flags the _marshal_err fallback and keeps the record", () => {
    const r = event('2026/05/05 12:30:11 evt: provision.start {"_marshal_err":"json: unsupported type: func()"}');
    expect(r.marshalError).toBe("json: unsupported type: func()");
    expect(r.fields).toEqual({ _marshal_err: "json: unsupported type: func()" });
    expect(event('evt: a.b {"_marshal_err":"x","workspace_id":"ws-1"}').marshalError).toBe("x");
    expect(event('evt: a.b {"_marshal_err":1}').marshalError).toBeUndefined();
  });

  it("keeps the record when the stamp names no real date", () => {
    const r = event('2026/13/45 12:30:11 evt: provision.start {"a":1}');
    expect(r.ts).toBeNull();
    expect(r.name).toBe("provision.start");
    expect(r.fields).toEqual({ a: 1 });
  });

  it("tolerates a byte-order mark on the first line", () => {
    expect(event("\ufeff2026/05/05 12:30:11 evt: a.b {}").ts?.toISOString()).toBe(TS);
  });
});

describe("parseProvlogLine: malformed records", () => {
  it("reports truncated JSON with the name", () => {
    expect(malformed('2026/05/05 12:30:11 evt: provision.start {"workspace_id":"ws-')).toEqual({
      kind: "malformed",
      ts: new Date(TS),
      name: "provision.start",
      reason: "truncated JSON",
    });
    expect(malformed('evt: a.b {"a":{"b":[1,2').reason).toBe("truncated JSON");
    expect(malformed('evt: a.b {"a":1,').reason).toBe("truncated JSON");
  });

  it("reports invalid JSON", () => {
    expect(malformed('evt: a.b {"a":}').reason).toBe("invalid JSON");
    expect(malformed('evt: a.b {"a":1}}').reason).toBe("invalid JSON");
    expect(malformed('evt: a.b {"a":1} trailing').reason).toBe("invalid JSON");
    expect(malformed("evt: a.b {'a':1]").reason).toBe("invalid JSON");
    expect(malformed("evt: a.b not-json").reason).toBe("invalid JSON");
  });

  it("reports a payload that is valid JSON but not an object", () => {
    for (const payload of ["[1,2]", '"text"', "42", "null", "true"]) {
      const r = malformed(`2026/05/05 12:30:11 evt: a.b ${payload}`);
      expect(r.reason, payload).toBe("payload is not an object");
      expect(r.name).toBe("a.b");
    }
  });

  it("reports a missing payload", () => {
    expect(malformed("2026/05/05 12:30:11 evt: provision.start")).toEqual({
      kind: "malformed",
      ts: new Date(TS),
      name: "provision.start",
      reason: "missing payload",
    });
    expect(malformed("evt: provision.start ").reason).toBe("missing payload");
  });

  it("reports a missing or unreadable name", () => {
    expect(malformed("evt: ")).toMatchObject({ name: null, reason: "missing event name" });
    expect(malformed("evt:  {}")).toMatchObject({ name: null, reason: "missing event name" });
    expect(malformed("evt: provision/start {}")).toMatchObject({
      name: null,
      reason: "invalid character in event name",
    });
  });
});

describe("parseProvlogLine: noise", () => {
  const noise = [
    "",
    "\r\n",
    "2026/05/05 12:30:11 CP provisioner: workspace ws-1 → EC2 instance i-0abc (pending)",
    '127.0.0.1 - - [05/May/2026:12:30:11 +0000] "GET /workspaces HTTP/1.1" 200 512',
    "2026/05/05 12:30:11 handler: saw evt: provision.start in the queue",
    "2026/05/05 12:30:11 provlog.go:42: evt: provision.start {}",
    "some prose with evt: provision.start {} in it",
    "evt:provision.start {}",
    "EVT: provision.start {}",
    " evt: provision.start {}",
    "2026/05/05 12:30:11",
    "2026/05/05 12:30:11 ",
    "2026-05-05T12:30:11Z",
    '[GIN] 2026/05/05 - 12:30:11 | 200 |     1.2ms |  127.0.0.1 | GET "/health"',
  ];
  for (const line of noise) {
    it(`skips ${JSON.stringify(line.slice(0, 50))}`, () => {
      expect(parseProvlogLine(line)).toEqual({ kind: "noise" });
    });
  }
});

describe("parseProvlogLine: size", () => {
  const big = "x".repeat(5 * 1024 * 1024);

  it("parses a 5 MB record", () => {
    const started = performance.now();
    const r = event(`2026/05/05 12:30:11 evt: provision.start {"log_tail":"${big}","workspace_id":"ws-1"}`);
    expect((r.fields.log_tail as string).length).toBe(big.length);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("reports a truncated 5 MB record", () => {
    const started = performance.now();
    const r = malformed(`2026/05/05 12:30:11 evt: provision.start {"log_tail":"${big}`);
    expect(r.reason).toBe("truncated JSON");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("skips 5 MB noise lines without scanning them", () => {
    const line = `2026/05/05 12:30:11 ${big}evt: a.b {"x":1}`;
    const started = performance.now();
    for (let i = 0; i < 1000; i++) expect(parseProvlogLine(line).kind).toBe("noise");
    expect(performance.now() - started).toBeLessThan(500);
  });
});
