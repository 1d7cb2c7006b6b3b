import { READ_INDEXES } from "./migrations";
import type { Db } from "./open-store";

/** Drops the read indexes before a bulk load; the identity index (dedup) stays. */
export function dropReadIndexes(db: Db): void {
  for (const { name } of READ_INDEXES) db.exec(`DROP INDEX IF EXISTS ${name}`);
}

/** Builds them again, one sorted pass each. */
export function buildReadIndexes(db: Db): void {
  for (const { sql } of READ_INDEXES) db.exec(sql);
}

/** Roughly how many events the cache holds (max rowid: no scan). */
export function approxEventCount(db: Db): number {
  return (db.prepare("SELECT ifnull(max(id), 0) AS n FROM events").get() as { n: number }).n;
}
