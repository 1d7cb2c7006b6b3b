import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { OpsError } from "../errors";
import { MIGRATIONS } from "./migrations";

export type Db = Database.Database;

/** Stamped into the file so a foreign SQLite database is recognised rather than migrated. */
const APPLICATION_ID = 0x4d4f5053; // "MOPS"

/**
 * Opens (creating when absent) the local cache. WAL so readers (the UI) never block the one
 * writer (sync, import); a busy timeout so a second process waits instead of failing.
 */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const isNew = path === ":memory:" || !existsSync(path);
  let db: Db;
  try {
    db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // 32 MiB of page cache keeps the hot index pages of a large import in memory.
    db.pragma("cache_size = -32768");
  } catch (cause) {
    throw new OpsError("Store", `cannot open the cache ${path}: ${describeSqliteError(cause)}`, { cause });
  }
  try {
    migrate(db, path, isNew);
  } catch (cause) {
    db.close();
    if (cause instanceof OpsError) throw cause;
    throw new OpsError("Store", `cannot prepare the cache ${path}: ${describeSqliteError(cause)}`, { cause });
  }
  return db;
}

function migrate(db: Db, path: string, isNew: boolean): void {
  const appId = db.pragma("application_id", { simple: true }) as number;
  const version = db.pragma("user_version", { simple: true }) as number;
  const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n > 0;
  if (appId !== APPLICATION_ID && (hasTables || !isNew) && !(appId === 0 && !hasTables)) {
    throw new OpsError("Store", `${path} is not a molecule-ops cache (another application's SQLite file)`);
  }
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
}

export function describeSqliteError(cause: unknown): string {
  if (cause && typeof cause === "object" && "code" in cause && cause.code === "SQLITE_NOTADB") {
    return "the file is not a SQLite database";
  }
  return cause instanceof Error ? cause.message : String(cause);
}
