import { chmodSync, closeSync, existsSync, renameSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { ensurePrivateDir } from "../config/private-dir";
import { createPrivateFile } from "../config/private-file";
import { OpsError } from "../errors";
import { MIGRATIONS, READ_INDEXES } from "./migrations";

export type Db = Database.Database;

/** Stamped into the file so a foreign SQLite database is recognised rather than migrated. */
const APPLICATION_ID = 0x4d4f5053; // "MOPS"

/**
 * Opens (creating when absent) the local cache. WAL so readers (the UI) never block the one
 * writer (sync, import); a busy timeout so a second process waits instead of failing.
 */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") ensurePrivateDir(dirname(path));
  const isNew = path === ":memory:" || !existsSync(path);
  let db: Db | undefined;
  try {
    if (path !== ":memory:") makePrivate(path, isNew);
    db = new Database(path);
    db.pragma("busy_timeout = 5000");
    // Before any pragma that writes (WAL changes the file header): another application's
    // database must be left byte for byte as it was.
    refuseForeign(db, path, isNew);
    // 16 KiB pages: a quarter of the per-page work of the default 4 KiB when an import writes
    // hundreds of megabytes (measured: a 1M-line import 35% faster). Only a new file can choose.
    if (isNew) db.pragma("page_size = 16384");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // 8 MiB of page cache: the default 2 MiB thrashes on the list and timeline indexes, and a
    // larger one only adds to an import's memory (bulk loads rebuild indexes by sorting).
    db.pragma("cache_size = -8192");
  } catch (cause) {
    if (cause instanceof OpsError) throw cause;
    if (db?.open) db.close();
    throw new OpsError("Store", `cannot open the cache ${path}: ${describeSqliteError(cause)}`, { cause });
  }
  try {
    migrate(db, path);
  } catch (cause) {
    db.close();
    if (cause instanceof OpsError) throw cause;
    throw new OpsError("Store", `cannot prepare the cache ${path}: ${describeSqliteError(cause)}`, { cause });
  }
  return db;
}

/**
 * The cache holds consoles, timelines and mappings (issue 14: 0644 under umask 022, readable by
 * every user of a jump box). SQLite creates its -wal and -shm with the mode of the database
 * file, so a new cache is created empty, exclusively and 0600 before SQLite opens it (an empty
 * file is a new database to SQLite). A cache from before, and its -wal and -shm, are tightened.
 */
function makePrivate(path: string, isNew: boolean): void {
  if (isNew) {
    try {
      closeSync(createPrivateFile(path));
      return;
    } catch (error) {
      // Another process created it a moment ago: an existing cache, tightened below.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  if (process.platform === "win32") return;
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      const st = statSync(path + suffix);
      if (st.uid === process.getuid?.() && (st.mode & 0o077) !== 0) chmodSync(path + suffix, 0o600);
    } catch {
      // No -wal or -shm: SQLite will create them with the file's (now private) mode.
    }
  }
}

function refuseForeign(db: Db, path: string, isNew: boolean): void {
  const appId = db.pragma("application_id", { simple: true }) as number;
  const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n > 0;
  if (appId !== APPLICATION_ID && (hasTables || !isNew) && !(appId === 0 && !hasTables)) {
    db.close();
    throw new OpsError(
      "Store",
      `${path} is not a molecule-ops cache (another application's SQLite file); it was left untouched: pass --db with another path`,
    );
  }
}

function migrate(db: Db, path: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new OpsError(
      "Store",
      `${path} was written by a newer molecule-ops (schema ${version}, this build knows ${MIGRATIONS.length})`,
    );
  }
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next]!);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
  // A bulk import killed before it rebuilt its indexes left them out; put them back.
  for (const { sql } of READ_INDEXES) db.exec(sql);
}

/** A damaged cache that was set aside so work can go on: where the old file is kept. */
export interface Recovery {
  backup: string;
  reason: string;
}

/**
 * Opens the cache; a file SQLite reports as damaged (not a database, corrupt pages) is renamed
 * aside with its -wal and -shm, kept for inspection, and a fresh cache is started: the cache only
 * mirrors the tenant and the logs, so a sync and an import refill it, while a crash here would
 * leave staff without a tool. Another application's database is never moved: that is refused.
 */
export function openOrRecover(
  path: string,
  now: () => Date = () => new Date(),
): { db: Db; recovered: Recovery | null } {
  try {
    return { db: openDatabase(path), recovered: null };
  } catch (error) {
    if (path === ":memory:" || !isDamage((error as OpsError).cause)) throw error;
    const backup = `${path}.damaged-${now().toISOString().replace(/[:.]/g, "-")}`;
    for (const suffix of ["", "-wal", "-shm"]) {
      if (existsSync(path + suffix)) renameSync(path + suffix, backup + suffix);
    }
    return { db: openDatabase(path), recovered: { backup, reason: describeSqliteError((error as OpsError).cause) } };
  }
}

function isDamage(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT";
}

export function describeSqliteError(cause: unknown): string {
  if (cause && typeof cause === "object" && "code" in cause && cause.code === "SQLITE_NOTADB") {
    return "the file is not a SQLite database";
  }
  return cause instanceof Error ? cause.message : String(cause);
}
