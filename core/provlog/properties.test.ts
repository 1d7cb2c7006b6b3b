/**
 * Property-based tests (fast-check) for the hostile-input rules: whatever a log holds, the parser
 * answers and never throws; what the emitter writes parses back to the same record; the CSV and
 * JSONL writers round-trip through real parsers whatever the text in the cells, and the provlog
 * writer through the import.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../store/store";
import { formatProvlogLine, parseProvlogLine } from ".";
import { importProvlog } from "./ingest";
import { exportTimeline, type TimelineFormat } from "./timeline-export";

const RUNS = 300;

/** JSON with sorted keys and -0 as 0. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );
}

describe("parseProvlogLine on anything", () => {
  it("never throws and always says event, malformed or noise", () => {
    const line = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ maxLength: 200 }).map((s) => `2026/05/05 12:30:11 evt: ${s}`),
      fc.tuple(fc.string({ maxLength: 40 }), fc.json()).map(([n, j]) => `evt: ${n} ${j}`),
      fc.string({ maxLength: 100 }).map((s) => `\u0000\u0000evt: provision.start {${s}`),
    );
    fc.assert(
      fc.property(line, (l) => {
        const r = parseProvlogLine(l);
        expect(["event", "malformed", "noise"]).toContain(r.kind);
        if (r.kind === "event") expect(() => JSON.parse(r.fieldsJson)).not.toThrow();
      }),
      { numRuns: RUNS * 3 },
    );
  });
});

describe("emit → parse", () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}\.[a-z][a-z0-9_]{0,20}$/);
  const value = fc.jsonValue({ maxDepth: 3 });
  const fields = fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 6 });
  const at = fc.date({
    min: new Date("2000-01-01T00:00:00Z"),
    max: new Date("2099-12-31T23:59:59Z"),
    noInvalidDate: true,
  });

  it("gives back the same name, fields and second, on one line", () => {
    fc.assert(
      fc.property(name, fields, at, (n, f, t) => {
        const line = formatProvlogLine(n, f, t);
        expect(line).not.toMatch(/[\r\n]/);
        const r = parseProvlogLine(line);
        expect(r.kind).toBe("event");
        if (r.kind !== "event") return;
        expect(r.name).toBe(n);
        // Compared as canonical JSON: Go writes -0 and sorts keys; both mean the same payload.
        expect(canonical(JSON.parse(r.fieldsJson))).toBe(canonical(f));
        expect(Math.floor((r.ts?.getTime() ?? 0) / 1000)).toBe(Math.floor(t.getTime() / 1000));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("CSV and JSONL writers round-trip whatever the cells hold", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "props-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cell = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom("=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx", 'a,"b"\nc', "é✓\u2028", ""),
  );
  const row = fc.record({
    event: cell.filter((s) => s !== ""),
    ws: fc.option(
      cell.filter((s) => s !== ""),
      { nil: null },
    ),
    instance: fc.option(
      cell.filter((s) => s !== ""),
      { nil: null },
    ),
    fields: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
    ts: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: null }),
  });

  /** Stores the rows as timeline events and exports them whole, as text. */
  async function exported(
    store: Store,
    rows: Array<typeof row extends fc.Arbitrary<infer R> ? R : never>,
    format: TimelineFormat,
  ) {
    for (const [i, r] of rows.entries()) {
      const fieldsJson = JSON.stringify(r.fields);
      const e = {
        ts: r.ts,
        event: r.event,
        workspaceId: r.ws,
        instanceId: r.instance,
        fieldsJson,
        source: "console" as const,
      };
      store.events.record(e, `row-${i}`);
    }
    const chunks: Buffer[] = [];
    await exportTimeline(store.db, {}, format, (c) => void chunks.push(Buffer.from(c)));
    return Buffer.concat(chunks).toString("utf8");
  }

  /** What a spreadsheet must see: formula starters neutralised with a leading apostrophe. */
  const neutral = (v: string | null) => (v === null ? "" : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

  it("CSV parsed back by csv-parse gives every cell, neutralised", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), async (rows) => {
        const store = Store.open(join(dir, `csv-${n++}.db`));
        try {
          const records = parseCsv(await exported(store, rows, "csv"), {
            columns: true,
            record_delimiter: "\r\n",
          }) as Array<Record<string, string>>;
          expect(records).toHaveLength(rows.length);
          const got = records.map((r) => ({
            event: r.event ?? "",
            ws: r.workspace_id,
            instance: r.instance_id,
            fields: r.fields,
          }));
          const want = rows.map((r) => ({
            event: neutral(r.event),
            ws: neutral(r.ws),
            instance: neutral(r.instance),
            fields: JSON.stringify(r.fields),
          }));
          // Rows with equal times may come out in either order: compare as multisets.
          expect(got.map((g) => JSON.stringify(g)).sort()).toEqual(want.map((w) => JSON.stringify(w)).sort());
        } finally {
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it("JSONL is one JSON object a line with the stored payload intact", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), async (rows) => {
        const store = Store.open(join(dir, `jsonl-${n++}.db`));
        try {
          const lines = (await exported(store, rows, "jsonl")).split("\n").filter(Boolean);
          expect(lines).toHaveLength(rows.length);
          const parsed = lines.map((l) => JSON.parse(l));
          for (const r of rows) {
            const ts = r.ts === null ? null : new Date(r.ts).toISOString();
            const hit = parsed.find(
              (p) => p.event === r.event && p.workspace_id === r.ws && p.instance_id === r.instance && p.ts === ts,
            );
            expect(hit).toBeDefined();
            expect(hit.fields).toEqual(r.fields);
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it("provlog imports back to the same time, name and payload; a name it cannot carry is left out, never forged", async () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,24}$/);
    const provlogRow = row.chain((r) => fc.oneof(name, cell).map((event) => ({ ...r, event })));
    const valid = /^[A-Za-z0-9_.:-]+$/;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(provlogRow, { minLength: 1, maxLength: 8 }), async (rows) => {
        const store = Store.open(join(dir, `provlog-${n++}.db`));
        const copy = Store.open(join(dir, `provlog-copy-${n}.db`));
        try {
          const text = await exported(store, rows, "provlog");
          const kept = rows.filter((r) => valid.test(r.event));
          expect(text.split("\n").filter(Boolean)).toHaveLength(kept.length);
          const path = join(dir, `provlog-${n}.log`);
          writeFileSync(path, text);
          const report = await importProvlog(copy, path);
          expect(report).toMatchObject({ events: kept.length, added: kept.length, malformed: 0, skipped: 0 });
          const got = [...copy.timeline()].map((r) => JSON.stringify([r.ts, r.event, r.fields]));
          const want = kept.map((r) => JSON.stringify([r.ts, r.event, JSON.stringify(r.fields)]));
          expect(got.sort()).toEqual(want.sort());
        } finally {
          store.close();
          copy.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
