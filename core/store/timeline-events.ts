import { hash53 } from "./dedup-hash";
import type { Db } from "./open-store";

export type EventSource = "console" | "provlog" | "tenant";

export interface TimelineEvent {
  /** ms since epoch; null for a record logged without a stamp. */
  ts: number | null;
  event: string;
  workspaceId: string | null;
  instanceId: string | null;
  /** The payload as JSON text, verbatim, so unknown fields survive (SPEC §4: fields are additive). */
  fieldsJson: string;
  source: EventSource;
  marshalError?: boolean;
}

/**
 * Identity of a record: same instant, same name, same payload, and which occurrence of that
 * triple it is within its file. Re-importing a file (or a rotated copy overlapping it) adds
 * nothing, while two genuinely repeated records in one second (Go stamps have no fraction)
 * both survive.
 */
export function recordIdentity(e: Pick<TimelineEvent, "ts" | "event" | "fieldsJson">, occurrence = 0): string {
  return `${e.ts ?? ""}\u0000${e.event}\u0000${e.fieldsJson}\u0000${occurrence}`;
}

const MAX_SALTS = 8;
/** Stored ts of a record logged without a stamp: such records sort first, in file order. */
export const NO_STAMP = -1;

export class TimelineEvents {
  private readonly insert;
  private readonly byIdentity;

  constructor(db: Db) {
    this.insert = db.prepare<
      [number | null, string, string | null, string | null, string, EventSource, number, number]
    >(
      `INSERT OR IGNORE INTO events (ts, event, workspace_id, instance_id, fields, source, marshal_error, dedup)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byIdentity = db.prepare<[number, number], { event: string; fields: string }>(
      "SELECT event, fields FROM events WHERE ts = ? AND dedup = ?",
    );
  }

  /** Inserts unless the same record is already there; returns whether it was new. */
  record(e: TimelineEvent, identity: string = recordIdentity(e)): boolean {
    const ts = e.ts ?? NO_STAMP;
    for (let salt = 0; salt < MAX_SALTS; salt++) {
      const key = hash53(identity, salt);
      const r = this.insert.run(
        ts,
        e.event,
        e.workspaceId,
        e.instanceId,
        e.fieldsJson,
        e.source,
        e.marshalError ? 1 : 0,
        key,
      );
      if (r.changes > 0) return true;
      const existing = this.byIdentity.get(ts, key);
      if (existing && existing.event === e.event && existing.fields === e.fieldsJson) {
        return false;
      }
      // A different record holds this hash: try the next salt rather than lose either.
    }
    throw new Error("too many dedup hash collisions");
  }
}
