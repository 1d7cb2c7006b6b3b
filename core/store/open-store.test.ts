import { chmodSync, chownSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { defaultDbPath } from "../config/data-dir";
import { fileMode, tempDirPerTest } from "../testing/temp-dir";
import { openDatabase } from "./open-store";
import { Store } from "./store";

// A login shell's umask: SQLite's own default would make the cache 0644, readable by everyone.
const dir = tempDirPerTest("open-store-", { umask: 0o022 });

describe.skipIf(process.platform === "win32")("the cache is private (issue 14)", () => {
  it("creates the data folder 0700, and the cache, its WAL and SHM 0600, with a console snapshot in them", () => {
    const home = join(dir(), "home");
    const path = defaultDbPath(undefined, { MOLECULE_OPS_HOME: home });
    const store = Store.open(path);
    try {
      store.recordConsoleSnapshot("ws-1", null, "cloud-init: RUNTIME CRASHED", Date.now());
      expect(fileMode(home)).toBe(0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(file), file).toBe(true);
        expect(fileMode(file), file).toBe(0o600);
      }
    } finally {
      store.close();
    }
  });

  it("tightens a cache written by an older version (0644, with its WAL and SHM)", () => {
    const path = join(dir(), "cache.db");
    openDatabase(path).close();
    // What the old code left: SQLite's 0644 under umask 022, and a WAL kept open by a reader.
    chmodSync(path, 0o644);
    const reader = new Database(path);
    reader.pragma("journal_mode = WAL");
    reader.exec("CREATE TABLE IF NOT EXISTS t (x)");
    chmodSync(`${path}-wal`, 0o644);
    chmodSync(`${path}-shm`, 0o644);
    const db = openDatabase(path);
    try {
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(fileMode(file), file).toBe(0o600);
    } finally {
      db.close();
      reader.close();
    }
  });

  it("refuses a data folder that others may write to, touching nothing in it", () => {
    const shared = join(dir(), "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const path = join(shared, "cache.db");
    expect(() => openDatabase(path)).toThrow(
      expect.objectContaining({ code: "Config", message: expect.stringContaining(`run: chmod 700 ${shared}`) }),
    );
    expect(existsSync(path)).toBe(false);
    // $MOLECULE_OPS_DB is checked the same way.
    expect(() => Store.open(defaultDbPath(undefined, { MOLECULE_OPS_DB: path }))).toThrow(/group or others may write/);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "refuses a data folder another user owns (as root: chown; skipped when not root)",
    () => {
      const theirs = join(dir(), "theirs");
      mkdirSync(theirs, { mode: 0o700 });
      chownSync(theirs, 4242, 4242);
      expect(() => openDatabase(join(theirs, "cache.db"))).toThrow(/belongs to another user \(uid 4242\)/);
      expect(existsSync(join(theirs, "cache.db"))).toBe(false);
    },
  );
});
