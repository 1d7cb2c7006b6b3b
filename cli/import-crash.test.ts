import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BIN, runCli } from "./run-cli.testkit";

let dir: string;
let logPath: string;
// Over 16 MiB, so the import takes its large-log path: parser thread, read indexes dropped and rebuilt.
const RECORDS = 250_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "crash-"));
  logPath = join(dir, "platform.log");
  const out = createWriteStream(logPath);
  const t0 = Date.UTC(2026, 4, 5);
  for (let i = 0; i < RECORDS; i++) {
    const stamp = new Date(t0 + i * 1000).toISOString().replace("T", " ").slice(0, 19).replaceAll("-", "/");
    const ws = `ws-${i % 500}`;
    const line = `${stamp} evt: provision.start {"i":${i},"sync":true,"workspace_id":"${ws}"}\n${stamp} prose line ${i}\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function count(db: string): number {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (d.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    d.close();
  }
}

it("kill -9 in the middle of an import leaves a consistent cache, and re-running it adds exactly the rest", async () => {
  const db = join(dir, "cache.db");
  // Build the CLI bundle first so the timing below is the import's.
  await runCli(["--help"], {});
  const child = spawn(process.execPath, [BIN, "import-log", logPath, "--db", db], { stdio: "ignore" });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + 20_000;
  let before = 0;
  while (Date.now() < deadline && !exited) {
    await new Promise((r) => setTimeout(r, 25));
    try {
      before = count(db);
    } catch {
      before = 0;
    }
    if (before > 0) break;
  }
  expect(exited).toBe(false); // the import must still be running when it is killed
  child.kill("SIGKILL");
  await new Promise((r) => child.on("close", r));
  expect(before).toBeGreaterThan(0);

  const d = new Database(db);
  expect(d.pragma("integrity_check", { simple: true })).toBe("ok");
  // The kill came before the indexes were rebuilt; the next open of the cache puts them back.
  d.close();
  await runCli(["workspaces", "--db", db], {});
  const reopened = new Database(db);
  const indexes = reopened
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")
    .pluck()
    .all();
  expect(indexes).toEqual(expect.arrayContaining(["events_identity", "events_workspace_ts", "events_ts"]));
  reopened.close();
  const d2 = new Database(db);
  const afterKill = (d2.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
  d2.close();
  expect(afterKill).toBeLessThan(RECORDS);
  // Batches land whole: never a partial batch.
  expect(afterKill % 2000).toBe(0);

  const r = await runCli(["import-log", logPath, "--json", "--db", db], {});
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report).toMatchObject({ events: RECORDS, duplicates: afterKill, added: RECORDS - afterKill });
  expect(count(db)).toBe(RECORDS);
});
