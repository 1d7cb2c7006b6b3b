import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importProvlog } from "../core/provlog/ingest";
import { exportTimeline } from "../core/provlog/timeline-export";
import { Store } from "../core/store/store";
import { hasTool } from "./bench-context";
import { anchorCsvCommand } from "./csv-anchor";

/**
 * The export benchmark's anchor must do the same work as the export: the same bytes from the
 * same cache, hostile cells included. It needs the sqlite3 shell, which CI may not install.
 */
const shell = hasTool("sqlite3");
if (!shell) {
  process.stderr.write(
    "bench/csv-anchor.test.ts: skipped, the sqlite3 shell is not installed (apt-get install sqlite3)\n",
  );
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "csv-anchor-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!shell)("the CSV export's sqlite3 anchor (needs the sqlite3 shell)", () => {
  it("writes byte for byte what timeline --format csv writes, hostile cells included", async () => {
    const dbPath = join(dir, "cache.db");
    const store = Store.open(dbPath);
    try {
      const log = join(dir, "server.log");
      writeFileSync(
        log,
        [
          'evt: restart.pre_stop {"backend":"none","workspace_id":"ws-a"}',
          '2026/05/05 12:30:11 evt: provision.start {"name":"=HYPERLINK(\\"http://x\\")","workspace_id":"ws-a"}',
          '2026/05/05 12:30:12.5 evt: provision.ec2_started {"instance_id":"i-0123456789abcdef0","n":12345678901234567890,"workspace_id":"ws-a"}',
          '2026/05/05 12:30:13 evt: provision.start {"name":"comma, \\"quote\\"\\nnewline ünï 🚀","workspace_id":"+ws-b"}',
          '2026/05/05 12:30:14 evt: provision.skip_existing {"existing_id":"@ws-c","name":"x"}',
          "",
        ].join("\n"),
      );
      await importProvlog(store, log);
      // What only the tenant's events can put in the other columns: any text at all.
      const cells = ["-1+1", "\tTAB", "\rCR", "a,b", 'say "hi"', "two\nlines", "=1,2", "ünïcødé", "plain"];
      cells.forEach((text, i) => {
        store.events.record({
          ts: Date.UTC(2026, 4, 6, 8, 0, i, 7 * i),
          event: text,
          workspaceId: text,
          instanceId: i % 2 === 0 ? null : text,
          fieldsJson: JSON.stringify({ text }),
          source: "tenant",
        });
      });

      const chunks: Buffer[] = [];
      const rows = await exportTimeline(store.db, {}, "csv", (c) => {
        chunks.push(c);
      });
      expect(rows).toBe(5 + cells.length);
      const out = join(dir, "anchor.csv");
      const run = spawnSync("bash", ["-o", "pipefail", "-c", anchorCsvCommand(dbPath, out)], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const ours = Buffer.concat(chunks);
      expect(readFileSync(out).toString("utf8")).toBe(ours.toString("utf8"));
      expect(readFileSync(out).equals(ours)).toBe(true);
    } finally {
      store.close();
    }
  });
});
