import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store/store";
import { failure } from "../testing/failure";
import { tempDirPerTest } from "../testing/temp-dir";
import { importProvlog } from "./ingest";

const dir = tempDirPerTest("ingest-");
let store: Store;

beforeEach(() => {
  store = Store.open(join(dir(), "cache.db"));
});

afterEach(() => store.close());

function file(name: string, content: string | Buffer): string {
  const path = join(dir(), name);
  writeFileSync(path, content);
  return path;
}

const WS = "7d3f0c1e-2b4a-4c5d-8e9f-0a1b2c3d4e5f";
const I1 = "i-0aaaaaaaaaaaaaaa1";
const I2 = "i-0bbbbbbbbbbbbbbb2";

const started = (ts: string, instance: string) =>
  `${ts} evt: provision.ec2_started {"instance_id":"${instance}","runtime":"langgraph","state":"pending","tier":2,"workspace_id":"${WS}"}`;
const stopped = (ts: string, instance: string) =>
  `${ts} evt: provision.ec2_stopped {"instance_id":"${instance}","workspace_id":"${WS}"}`;

function timeline() {
  return [...store.timeline()];
}

describe("import-log tolerance (docs/contracts.md §4), each rule on a real file", () => {
  it("skips prose and access-log lines interleaved with records, and counts every line", async () => {
    const log = [
      "2026/05/05 12:30:10 Provisioner: starting container for workspace x",
      `2026/05/05 12:30:11 evt: provision.start {"name":"a","sync":true,"workspace_id":"${WS}"}`,
      '127.0.0.1 - - [05/May/2026:12:30:11 +0000] "GET /workspaces HTTP/1.1" 200 512',
      '[GIN] 2026/05/05 - 12:30:11 | 200 |    1.2ms |  10.0.3.4 | GET "/workspaces"',
      "2026/05/05 12:30:12 handler saw evt: provision.start mid-line",
      "",
      started("2026/05/05 12:30:13", I1),
    ].join("\n");
    const r = await importProvlog(store, file("a.log", `${log}\n`));
    expect(r).toMatchObject({ lines: 7, events: 2, added: 2, skipped: 5, malformed: 0, workspaces: 1 });
    expect(timeline().map((e) => e.event)).toEqual(["provision.start", "provision.ec2_started"]);
  });

  it("reads records with no stamp, with microseconds, with CRLF endings, and a last line without newline", async () => {
    const log =
      `evt: restart.pre_stop {"backend":"cp","workspace_id":"${WS}"}\r\n` +
      `2026/05/05 12:30:11.123456 evt: provision.start {"workspace_id":"${WS}"}\r\n` +
      stopped("2026/05/05 12:30:12", I1);
    const r = await importProvlog(store, file("b.log", log));
    expect(r).toMatchObject({ lines: 3, events: 3, malformed: 0 });
    const rows = timeline();
    expect(rows.map((e) => e.ts)).toEqual([
      null,
      Date.UTC(2026, 4, 5, 12, 30, 11, 123),
      Date.UTC(2026, 4, 5, 12, 30, 12),
    ]);
    expect(rows[2]!.fields).toBe(`{"instance_id":"${I1}","workspace_id":"${WS}"}`);
  });

  it("removes NUL bytes (logrotate copytruncate) and keeps the record, even after a long NUL run", async () => {
    const nul = Buffer.alloc(5000, 0);
    const log = Buffer.concat([
      nul,
      Buffer.from(`2026/05/05 12:30:11 evt: provision.start {"workspace_id":"${WS}"}\n`),
      Buffer.from(`2026/05/05 12:30:12 evt: provision.start {"name":"a\u0000b","workspace_id":"${WS}"}\n`),
    ]);
    const r = await importProvlog(store, file("c.log", log));
    expect(r).toMatchObject({ events: 2, nul_lines: 2, malformed: 0 });
  });

  it("counts truncated and malformed records with their line numbers and keeps going", async () => {
    const log = [
      `2026/05/05 12:30:11 evt: provision.start {"workspace_id":"${WS}"`,
      "2026/05/05 12:30:12 evt: provision.start",
      '2026/05/05 12:30:13 evt: provision.start ["not","an","object"]',
      "noise",
      started("2026/05/05 12:30:14", I1),
    ].join("\n");
    const r = await importProvlog(store, file("d.log", log));
    expect(r).toMatchObject({ lines: 5, events: 1, malformed: 3, skipped: 1 });
    expect(r.first_malformed).toEqual([
      { line: 1, reason: "truncated JSON", event: "provision.start" },
      { line: 2, reason: "missing payload", event: "provision.start" },
      { line: 3, reason: "payload is not an object", event: "provision.start" },
    ]);
  });

  it("keeps _marshal_err records, flagged, and unknown names and fields verbatim", async () => {
    const unknown = `{"n":12345678901234567890,"workspace_id":"${WS}","zz_new":{"nested":[1,2]}}`;
    const log = [
      '2026/05/05 12:30:11 evt: provision.start {"_marshal_err":"json: unsupported type: chan int"}',
      `2026/05/05 12:30:12 evt: provision.quarantined ${unknown}`,
    ].join("\n");
    const r = await importProvlog(store, file("e.log", log));
    expect(r).toMatchObject({ events: 2, marshal_errors: 1 });
    const rows = timeline();
    expect(rows[0]!.marshal_error).toBe(1);
    expect(rows[1]).toMatchObject({ event: "provision.quarantined", fields: unknown, workspace_id: WS });
  });

  it("reads a record line of several megabytes, and reports a line over the limit instead of buffering it", async () => {
    const big = "x".repeat(5 << 20);
    const log = [
      `2026/05/05 12:30:11 evt: provision.start {"blob":"${big}","workspace_id":"${WS}"}`,
      `2026/05/05 12:30:12 evt: provision.start {"blob":"${"y".repeat(3 << 20)}"}`,
      `2026/05/05 12:30:13 prose ${"z".repeat(3 << 20)}`,
      started("2026/05/05 12:30:14", I1),
    ].join("\n");
    const r = await importProvlog(store, file("f.log", log), { maxLineBytes: 4 << 20 });
    // The 5 MB record is over the 4 MiB limit set here; the 3 MB one is read.
    expect(r).toMatchObject({ lines: 4, events: 2, malformed: 1, skipped: 1 });
    expect(r.first_malformed[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/over the limit/) });
    const r2 = await importProvlog(store, file("g.log", log));
    expect(r2).toMatchObject({ events: 3, malformed: 0, added: 1, duplicates: 2 });
  });

  it("reads gzip (by magic bytes, whatever the name) and standard input", async () => {
    const log = `${started("2026/05/05 12:30:11", I1)}\nnoise\n${stopped("2026/05/05 12:30:12", I1)}\n`;
    const r = await importProvlog(store, file("rotated.log.1", gzipSync(log)));
    expect(r).toMatchObject({ gzip: true, lines: 3, events: 2, added: 2 });
    const r2 = await importProvlog(store, Readable.from([Buffer.from(log.slice(0, 40)), Buffer.from(log.slice(40))]));
    expect(r2).toMatchObject({ gzip: false, lines: 3, events: 2, added: 0, duplicates: 2 });
  });

  it("keeps what was read before a truncated gzip and says where it broke", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      started(
        `2026/05/05 12:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`,
        `i-${i.toString(16).padStart(17, "0")}`,
      ),
    );
    const gz = gzipSync(lines.join("\n"));
    const err = await failure<Error & { report?: { events: number } }>(
      importProvlog(store, file("cut.gz", gz.subarray(0, gz.length - 200)), { batchSize: 100 }),
    );
    expect(err.message).toMatch(/gzip data is truncated or corrupt/);
    expect(err.report!.events).toBeGreaterThan(1000);
    expect(timeline().length).toBe(err.report!.events);
  });

  it("an empty file is an empty report, a missing file a clear error", async () => {
    expect(await importProvlog(store, file("empty.log", ""))).toMatchObject({ lines: 0, events: 0 });
    await expect(importProvlog(store, join(dir(), "nope.log"))).rejects.toThrowError(/no such file/);
  });
});

describe("parsing on a worker thread", () => {
  it("gives the same report and timeline as parsing inline, batch by batch", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const stamp = `2026/05/05 ${String(Math.floor(i / 3600) % 24).padStart(2, "0")}:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`;
      lines.push(i % 7 === 0 ? started(stamp, `i-${i.toString(16).padStart(17, "0")}`) : `${stamp} prose ${i}`);
      if (i % 500 === 0) lines.push(`${stamp} evt: provision.start {"truncated":`);
    }
    const path = file("w.log", lines.join("\n"));
    const inline = await importProvlog(store, path, { parallel: false, batchSize: 100 });
    const inlineRows = timeline();
    store.close();
    store = Store.open(join(dir(), "other.db"));
    const worker = await importProvlog(store, path, { parallel: true, batchSize: 100 });
    expect(worker).toEqual(inline);
    expect(timeline()).toEqual(inlineRows);
    expect(store.resolveInstanceId(WS)).toBe(`i-${(2996).toString(16).padStart(17, "0")}`);
  });
});

describe("deduplication", () => {
  it("re-importing adds nothing; two identical records in one second are both kept", async () => {
    const same = `2026/05/05 12:30:11 evt: restart.pre_stop {"backend":"cp","workspace_id":"${WS}"}`;
    const path = file("h.log", `${same}\n${same}\n${started("2026/05/05 12:30:12", I1)}\n`);
    expect(await importProvlog(store, path)).toMatchObject({ events: 3, added: 3 });
    expect(await importProvlog(store, path)).toMatchObject({ events: 3, added: 0, duplicates: 3 });
    expect(timeline()).toHaveLength(3);
  });

  it("identical records at one timestamp are both kept even when other timestamps come between", async () => {
    const a = `2026/05/05 12:30:11.123456 evt: restart.pre_stop {"backend":"cp","workspace_id":"${WS}"}`;
    const b = `2026/05/05 12:30:11.500000 evt: provision.start {"workspace_id":"${WS}"}`;
    const path = file("interleaved.log", [a, b, a].join("\n"));
    expect(await importProvlog(store, path)).toMatchObject({ events: 3, added: 3 });
    expect(await importProvlog(store, path)).toMatchObject({ added: 0, duplicates: 3 });
  });

  it("identical records without a stamp, far apart, are both kept, and a re-import still adds nothing", async () => {
    const bare = `evt: restart.pre_stop {"backend":"cp","workspace_id":"${WS}"}`;
    const path = file("bare.log", [bare, started("2026/05/05 12:30:12", I1), "noise", bare].join("\n"));
    expect(await importProvlog(store, path)).toMatchObject({ events: 3, added: 3 });
    expect(await importProvlog(store, path)).toMatchObject({ events: 3, added: 0, duplicates: 3 });
  });

  it("an overlapping rotated log adds only its new records", async () => {
    const a = [started("2026/05/05 12:30:11", I1), stopped("2026/05/05 12:30:20", I1)];
    const b = [stopped("2026/05/05 12:30:20", I1), started("2026/05/05 12:30:30", I2)];
    await importProvlog(store, file("a.log", a.join("\n")));
    expect(await importProvlog(store, file("b.log", b.join("\n")))).toMatchObject({ added: 1, duplicates: 1 });
    expect(timeline()).toHaveLength(3);
  });
});

describe("the instance mapping learnt from records", () => {
  it("ec2_started binds, ec2_stopped unbinds, a later start rebinds", async () => {
    await importProvlog(store, file("a.log", started("2026/05/05 12:30:11", I1)));
    expect(store.resolveInstanceId(WS)).toBe(I1);
    await importProvlog(store, file("b.log", stopped("2026/05/05 12:31:00", I1)));
    expect(store.resolveInstanceId(WS)).toBeNull();
    await importProvlog(store, file("c.log", started("2026/05/05 12:32:00", I2)));
    expect(store.resolveInstanceId(WS)).toBe(I2);
    expect(store.bindings.historyOf(WS).map((b) => [b.instanceId, b.source])).toEqual([
      [I1, "provlog"],
      [I2, "provlog"],
    ]);
  });

  it("an older log imported later joins the history without overriding the current binding", async () => {
    await importProvlog(store, file("new.log", started("2026/05/06 09:00:00", I2)));
    const r = await importProvlog(
      store,
      file("old.log", `${started("2026/05/05 09:00:00", I1)}\n${stopped("2026/05/05 10:00:00", I1)}`),
    );
    expect(r.bindings).toBe(1);
    expect(store.resolveInstanceId(WS)).toBe(I2);
    const past = store.bindings.historyOf(WS).find((b) => b.instanceId === I1)!;
    expect(past.unboundAt).not.toBeNull();
  });
});

describe("import-log redacts the profile's secrets (docs/contracts.md §5: a tenant's log is upstream text)", () => {
  const SECRET = "Kq8vTz3M<adm&n>tok/+=~Wp5Hx2Lr";

  it("removes every configured secret from a record's fields, keys included, before it is stored", async () => {
    const b64 = Buffer.from(`user:${SECRET}`).toString("base64");
    const log = [
      `2026/05/05 12:30:11 evt: provision.ec2_start_failed {"error":"env ADMIN_TOKEN=${SECRET}","${SECRET}":"Basic ${b64}","workspace_id":"${WS}"}`,
      started("2026/05/05 12:30:12", I1),
    ].join("\n");
    const { Redactor } = await import("../config/redactor");
    const { SecretProbe } = await import("../testing/secret-probe");
    const redactor = new Redactor([SECRET]);
    const report = await importProvlog(store, file("secret.log", `${log}\n`), { redactor });
    expect(report).toMatchObject({ events: 2, added: 2, bindings: 1 });
    const rows = timeline();
    const probe = new SecretProbe([SECRET]);
    expect(probe.find(JSON.stringify(rows))).toEqual([]);
    // Still a JSON document, with the shape kept; the record without a secret is kept byte for byte.
    expect(JSON.parse(rows[0]!.fields)).toMatchObject({ error: "env ADMIN_TOKEN=[redacted]", workspace_id: WS });
    expect(rows[1]!.fields).toBe(
      `{"instance_id":"${I1}","runtime":"langgraph","state":"pending","tier":2,"workspace_id":"${WS}"}`,
    );
    // Re-importing adds nothing.
    expect(await importProvlog(store, file("again.log", `${log}\n`), { redactor })).toMatchObject({
      added: 0,
      duplicates: 2,
    });
  });
});
