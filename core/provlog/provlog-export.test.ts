import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store/store";
import type { TimelineFilter } from "../store/timeline-query";
import { formatProvlogLine } from "./emit";
import { importProvlog } from "./ingest";
import { parseProvlogLine } from "./parse";
import { exportTimeline, type TimelineFormat } from "./timeline-export";

let dir: string;
const stores: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "provlog-export-"));
});

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A cache in a real SQLite file of its own. */
function freshStore(name: string): Store {
  const store = Store.open(join(dir, `${name}.db`));
  stores.push(store);
  return store;
}

async function exported(store: Store, format: TimelineFormat = "provlog", filter: TimelineFilter = {}) {
  const chunks: Buffer[] = [];
  const rows = await exportTimeline(store.db, filter, format, (chunk) => {
    chunks.push(chunk);
  });
  return { rows, text: Buffer.concat(chunks).toString("utf8") };
}

async function importText(store: Store, name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return importProvlog(store, path);
}

function eventRows(store: Store) {
  return store.db
    .prepare("SELECT ts, event, workspace_id, instance_id, fields, marshal_error, source FROM events ORDER BY ts, id")
    .all();
}

function bindingRows(store: Store) {
  return store.db
    .prepare(
      `SELECT workspace_id, instance_id, source, state, bound_at, unbound_at FROM instance_bindings
       ORDER BY workspace_id, bound_at, instance_id`,
    )
    .all();
}

/**
 * A server log as it comes: several workspaces and event kinds, noise between records, payloads
 * with escaped quotes and newlines, raw and escaped unicode, a formula, an unknown event with a
 * 20-digit number and keys as written (not sorted, with spaces), a marshal error, a record
 * without a stamp, the same record twice in one second, Lmicroseconds and docker stamps, CRLF.
 */
const SERVER_LOG = [
  "2026/05/05 12:30:00 platform listening on :8080",
  'evt: restart.pre_stop {"backend":"none","workspace_id":"ws-a"}',
  '2026/05/05 12:30:11 evt: provision.start {"name":"say \\"hi\\"\\nbye\\r\\n\\ttab","runtime":"langgraph","sync":true,"tier":2,"workspace_id":"ws-a"}',
  '2026/05/05 12:30:11 evt: provision.start {"name":"say \\"hi\\"\\nbye\\r\\n\\ttab","runtime":"langgraph","sync":true,"tier":2,"workspace_id":"ws-a"}',
  '2026/05/05 12:30:12 evt: provision.ec2_started {"instance_id":"i-0aaaaaaaaaaaaaaa1","runtime":"langgraph","state":"pending","tier":2,"workspace_id":"ws-a"}',
  '127.0.0.1 - - [05/May/2026:12:30:12 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"',
  '2026/05/05 12:30:13.250000 evt: provision.start {"name":"ünïcødé 🚀 \\u00e9 \\u2028 \\u003cb\\u003e \\\\","workspace_id":"ws-b"}',
  '2026-05-05T12:30:14.123456789Z 2026/05/05 12:30:14 evt: provision.ec2_started {"instance_id":"i-0bbbbbbbbbbbbbbb1","workspace_id":"ws-b"}',
  `2026/05/05 12:30:15 evt: provision.skip_existing {"existing_id":"ws-c","name":"=cmd|' /C calc'!A0","parent_id":null,"tier":4}`,
  '2026/05/05 12:30:16 evt: provision.ec2_started {"instance_id":"i-0ccccccccccccccc1","workspace_id":"ws-c"}',
  '2026/05/05 12:30:17 evt: tenant.future_event {"workspace_id": "ws-c",  "n": 12345678901234567890, "z":[1,{"b":2}]}',
  '2026/05/05 12:30:18 evt: provision.start {"_marshal_err":"json: unsupported type: func()"}',
  "2026/05/05 12:30:19 evt: provision.start {truncated",
  '2026/05/05 13:00:00 evt: restart.pre_stop {"backend":"cp","workspace_id":"ws-a"}',
  '2026/05/05 13:00:01 evt: provision.ec2_stopped {"instance_id":"i-0aaaaaaaaaaaaaaa1","workspace_id":"ws-a"}\r',
  '2026/05/05 13:00:05 evt: provision.ec2_started {"instance_id":"i-0aaaaaaaaaaaaaaa2","workspace_id":"ws-a"}',
  '2026/05/06 08:00:00 evt: provision.ec2_stopped {"instance_id":"i-0bbbbbbbbbbbbbbb1","workspace_id":"ws-b"}',
  '2026/05/06 08:00:01 evt: provision.ec2_started {"instance_id":"i-0ddddddddddddddd1","workspace_id":"ws-d"}',
  "",
].join("\n");

describe("timeline --format provlog: import → export → import", () => {
  it("gives a fresh cache the same event rows and the same bindings", async () => {
    const original = freshStore("original");
    const report = await importText(original, "server.log", SERVER_LOG);
    expect(report).toMatchObject({ events: 15, added: 15, malformed: 1, marshal_errors: 1 });

    const { rows, text } = await exported(original);
    expect(rows).toBe(15);
    expect(text.split("\n")).toHaveLength(16); // one line a row, each ending in LF

    const copy = freshStore("copy");
    const again = await importText(copy, "exported.log", text);
    expect(again).toMatchObject({ events: 15, added: 15, duplicates: 0, skipped: 0, malformed: 0, marshal_errors: 1 });
    expect(eventRows(copy)).toEqual(eventRows(original));
    expect(bindingRows(copy)).toEqual(bindingRows(original));
    expect(bindingRows(original)).toHaveLength(5);
    // A fixed point: the copy exports the same bytes.
    expect((await exported(copy)).text).toBe(text);
    // And the export imported into the cache it came from adds nothing.
    expect(await importText(original, "exported-again.log", text)).toMatchObject({ added: 0, duplicates: 15 });
  });

  it("writes the server's own line form: UTC stamp, `evt: `, name, the payload as logged", async () => {
    const store = freshStore("lines");
    await importText(store, "server.log", SERVER_LOG);
    const lines = (await exported(store)).text.trimEnd().split("\n");
    // A record logged without a time comes first and is written without one.
    expect(lines[0]).toBe('evt: restart.pre_stop {"backend":"none","workspace_id":"ws-a"}');
    expect(lines[3]).toBe(
      '2026/05/05 12:30:12 evt: provision.ec2_started {"instance_id":"i-0aaaaaaaaaaaaaaa1","runtime":"langgraph","state":"pending","tier":2,"workspace_id":"ws-a"}',
    );
    // Byte for byte what the platform's writer (and ours) makes of the same record.
    expect(lines[3]).toBe(
      formatProvlogLine(
        "provision.ec2_started",
        { workspace_id: "ws-a", instance_id: "i-0aaaaaaaaaaaaaaa1", state: "pending", tier: 2, runtime: "langgraph" },
        new Date(Date.UTC(2026, 4, 5, 12, 30, 12)),
      ),
    );
    // Sub-second times keep their milliseconds in Go's Lmicroseconds form; the docker stamp is not written.
    expect(lines[4]).toMatch(/^2026\/05\/05 12:30:13\.250000 evt: provision\.start \{"name":"ünïcødé 🚀 \\u00e9/);
    expect(lines[5]).toMatch(/^2026\/05\/05 12:30:14\.123000 evt: provision\.ec2_started /);
    // The payload as written: key order, spaces and every digit.
    expect(lines[8]).toBe(
      '2026/05/05 12:30:17 evt: tenant.future_event {"workspace_id": "ws-c",  "n": 12345678901234567890, "z":[1,{"b":2}]}',
    );
    for (const line of lines) expect(parseProvlogLine(line).kind).toBe("event");
  });

  it("takes the same filters as csv and jsonl: workspace, time window, event names", async () => {
    const store = freshStore("filters");
    await importText(store, "server.log", SERVER_LOG);
    const events = async (filter: TimelineFilter) =>
      (await exported(store, "provlog", filter)).text
        .trimEnd()
        .split("\n")
        .map((l) => (parseProvlogLine(l) as { name: string }).name);
    const csvRows = async (filter: TimelineFilter) => (await exported(store, "csv", filter)).rows;

    const byWs = { workspaceId: "ws-b" };
    expect(await events(byWs)).toEqual(["provision.start", "provision.ec2_started", "provision.ec2_stopped"]);
    const window = { since: Date.UTC(2026, 4, 5, 13), until: Date.UTC(2026, 4, 6) };
    expect(await events(window)).toEqual(["restart.pre_stop", "provision.ec2_stopped", "provision.ec2_started"]);
    const named = { events: ["provision.ec2_stopped"] };
    expect(await events(named)).toEqual(["provision.ec2_stopped", "provision.ec2_stopped"]);
    for (const f of [byWs, window, named]) expect((await exported(store, "provlog", f)).rows).toBe(await csvRows(f));
    expect(await exported(store, "provlog", { workspaceId: "ws-none" })).toEqual({ rows: 0, text: "" });
  });
});

describe("what a provlog line cannot carry", () => {
  const at = new Date(Date.UTC(2026, 4, 7, 9, 15, 42, 317));

  it("the console's own records: written, read back as source provlog with the same time to the millisecond", async () => {
    const store = freshStore("console");
    store.recordStarted({
      workspaceId: "ws-e",
      instanceId: "i-0eeeeeeeeeeeeeee1",
      state: "pending",
      tier: 3,
      runtime: "codex",
      at,
      malformed: false,
    });
    store.recordConsoleEvent(
      "restart.failed",
      { workspace_id: "ws-e", via: "cp", step: "stop", error: 'a "b"\nc' },
      at,
    );
    store.recordStopped({ workspaceId: "ws-e", instanceId: "i-0eeeeeeeeeeeeeee1", at: new Date(at.getTime() + 683) });
    const whole = new Date(Date.UTC(2026, 4, 7, 9, 16, 0));
    store.recordConsoleEvent("doctor.action", { workspace_id: "ws-e", kind: "stop_orphan" }, whole);

    const { rows, text } = await exported(store);
    expect(rows).toBe(4);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^2026\/05\/07 09:15:42\.317000 evt: provision\.ec2_started /);
    // 683 ms later is a whole second: written as the server writes it, without a fraction.
    expect(lines[2]).toMatch(/^2026\/05\/07 09:15:43 evt: provision\.ec2_stopped /);
    // A whole-second record is exactly the line the console's emitter writes for it.
    expect(lines).toContain(formatProvlogLine("doctor.action", { workspace_id: "ws-e", kind: "stop_orphan" }, whole));

    const copy = freshStore("console-copy");
    await importText(copy, "console.log", text);
    const asIn = (s: Store) =>
      eventRows(s).map((r) => {
        const { source, ...rest } = r as { source: string };
        return { ...rest, sourceWas: source };
      });
    expect(asIn(copy).map(({ sourceWas, ...r }) => r)).toEqual(asIn(store).map(({ sourceWas, ...r }) => r));
    expect(asIn(store).map((r) => r.sourceWas)).toEqual(["console", "console", "console", "console"]);
    expect(asIn(copy).map((r) => r.sourceWas)).toEqual(["provlog", "provlog", "provlog", "provlog"]);
    // Imported into the cache it came from, nothing is doubled.
    expect(await importText(store, "console-again.log", text)).toMatchObject({ added: 0, duplicates: 4 });
  });

  it("the tenant's events are left out, and so is a name that is no provlog name", async () => {
    const store = freshStore("tenant");
    await importText(store, "server.log", '2026/05/05 12:30:16 evt: provision.start {"workspace_id":"ws-c"}\n');
    store.tenantEvents.recordListed(
      { ts: at.getTime(), event: "WORKSPACE_ONLINE", workspaceId: "ws-c", instanceId: null, fieldsJson: "{}" },
      "tenant-1",
    );
    // Hostile names (a line break that would forge a second record, a space) cannot be written.
    const forged =
      'x {}\n2026/05/05 12:00:00 evt: provision.ec2_started {"instance_id":"i-evil","workspace_id":"ws-c"}';
    for (const event of [forged, "two words", ""]) {
      store.events.record({
        ts: at.getTime(),
        event,
        workspaceId: "ws-c",
        instanceId: null,
        fieldsJson: "{}",
        source: "console",
      });
    }
    expect((await exported(store, "csv")).rows).toBe(5);
    const { rows, text } = await exported(store);
    expect(rows).toBe(1);
    expect(text).toBe('2026/05/05 12:30:16 evt: provision.start {"workspace_id":"ws-c"}\n');
  });

  it("a payload stays on one line: raw CR or LF between JSON tokens become spaces", async () => {
    const store = freshStore("whitespace");
    store.events.record({
      ts: at.getTime(),
      event: "console.note",
      workspaceId: "ws-f",
      instanceId: null,
      fieldsJson: '{\r\n  "workspace_id": "ws-f",\n  "text": "a\\nb"\n}',
      source: "console",
    });
    const { text } = await exported(store);
    expect(text).toBe(
      '2026/05/07 09:15:42.317000 evt: console.note {    "workspace_id": "ws-f",   "text": "a\\nb" }\n',
    );
    const parsed = parseProvlogLine(text);
    expect(parsed).toMatchObject({ kind: "event", fields: { workspace_id: "ws-f", text: "a\nb" } });
  });

  it("a time before 1970 keeps its second and millisecond", async () => {
    const store = freshStore("old");
    const old = Date.UTC(1969, 11, 31, 23, 59, 58, 500);
    store.events.record({
      ts: old,
      event: "x.y",
      workspaceId: null,
      instanceId: null,
      fieldsJson: "{}",
      source: "console",
    });
    const { text } = await exported(store);
    expect(text).toBe("1969/12/31 23:59:58.500000 evt: x.y {}\n");
    expect((parseProvlogLine(text) as { ts: Date }).ts.getTime()).toBe(old);
  });
});
