import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store/store";
import { tempDirPerTest } from "../testing/temp-dir";
import { importProvlog } from "./ingest";
import { csvCell, exportTimeline, type TimelineFormat } from "./timeline-export";

const dir = tempDirPerTest("export-");
let store: Store;

beforeEach(async () => {
  store = Store.open(join(dir(), "cache.db"));
  const log = [
    'evt: restart.pre_stop {"backend":"none","workspace_id":"ws-a"}',
    '2026/05/05 12:30:11 evt: provision.start {"name":"=HYPERLINK(\\"http://x\\")","workspace_id":"ws-a"}',
    '2026/05/05 12:30:12 evt: provision.ec2_started {"instance_id":"i-0123456789abcdef0","n":12345678901234567890,"workspace_id":"ws-a"}',
    '2026/05/05 12:30:13 evt: provision.start {"name":"comma, \\"quote\\"\\nnewline","workspace_id":"+ws-b"}',
    '2026/05/06 08:00:00 evt: provision.ec2_stopped {"instance_id":"i-0123456789abcdef0","workspace_id":"ws-a"}',
  ].join("\n");
  const path = join(dir(), "x.log");
  writeFileSync(path, log);
  await importProvlog(store, path);
});

afterEach(() => store.close());

async function render(format: TimelineFormat, filter = {}): Promise<string> {
  const chunks: Buffer[] = [];
  await exportTimeline(store.db, filter, format, (chunk) => {
    chunks.push(chunk);
  });
  return Buffer.concat(chunks).toString("utf8");
}

describe("CSV export (RFC 4180)", () => {
  it("parses back with a real CSV parser to the same rows, header first, CRLF records", async () => {
    const text = await render("csv");
    expect(text.startsWith("ts,event,workspace_id,instance_id,source,fields\r\n")).toBe(true);
    const records: Record<string, string>[] = parse(text, { columns: true });
    expect(records).toHaveLength(5);
    expect(records[0]).toMatchObject({ ts: "", event: "restart.pre_stop", workspace_id: "ws-a", source: "provlog" });
    expect(records[2]!.ts).toBe("2026-05-05T12:30:12.000Z");
    expect(records[2]!.fields).toBe(
      '{"instance_id":"i-0123456789abcdef0","n":12345678901234567890,"workspace_id":"ws-a"}',
    );
    expect(JSON.parse(records[3]!.fields!).name).toBe('comma, "quote"\nnewline');
  });

  it("neutralises cells a spreadsheet would run as formulas", async () => {
    const records: Record<string, string>[] = parse(await render("csv"), { columns: true });
    expect(records[3]!.workspace_id).toBe("'+ws-b");
    for (const lead of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
      expect(csvCell(lead).replace(/^"/, "").charAt(0)).toBe("'");
    expect(csvCell("plain")).toBe("plain");
  });
});

describe("JSONL export", () => {
  it("writes one object per line with exactly ts, event, workspace_id, instance_id, fields, source", async () => {
    const lines = (await render("jsonl")).trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    const objects = lines.map((l) => JSON.parse(l));
    for (const o of objects) {
      expect(Object.keys(o)).toEqual(["ts", "event", "workspace_id", "instance_id", "fields", "source"]);
    }
    expect(objects[0].ts).toBeNull();
    expect(objects[2]).toMatchObject({ ts: "2026-05-05T12:30:12.000Z", instance_id: "i-0123456789abcdef0" });
    // The payload is written as logged: the 20-digit number keeps every digit.
    expect(lines[2]).toContain('"n":12345678901234567890');
  });
});

describe("filters", () => {
  it("by workspace, time window and event name, oldest first", async () => {
    const byWs = (await render("jsonl", { workspaceId: "ws-a" })).trimEnd().split("\n");
    expect(byWs).toHaveLength(4);
    const window = (await render("jsonl", { since: Date.UTC(2026, 4, 5, 12, 30, 12), until: Date.UTC(2026, 4, 6) }))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l).event);
    expect(window).toEqual(["provision.ec2_started", "provision.start"]);
    const named = (await render("jsonl", { events: ["provision.ec2_stopped", "restart.pre_stop"] }))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l).event);
    expect(named).toEqual(["restart.pre_stop", "provision.ec2_stopped"]);
  });

  it("pages through more rows than one page holds, in order, each once", async () => {
    const lines = Array.from(
      { length: 12_345 },
      (_, i) =>
        `2026/05/07 ${String(Math.floor(i / 3600)).padStart(2, "0")}:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")} evt: provision.start {"i":${i},"workspace_id":"ws-p"}`,
    );
    const path = join(dir(), "many.log");
    writeFileSync(path, lines.join("\n"));
    await importProvlog(store, path);
    const seen = [...store.timeline({ workspaceId: "ws-p" })].map((r) => JSON.parse(r.fields).i);
    expect(seen).toEqual(Array.from({ length: 12_345 }, (_, i) => i));
  });
});
