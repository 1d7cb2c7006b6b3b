import type { RecordBatch } from "../provlog/record-batch";
import { hash53 } from "./dedup-hash";
import type { Db } from "./open-store";

export type EventSource = "console" | "provlog" | "tenant";

export interface TimelineEvent {
  /** ms since epoch; null for a record logged without a stamp. */
  ts: number | null;
  event: string;
  workspaceId: string | null;
  instanceId: string | null;
  /** The payload as JSON text, verbatim, so unknown fields survive (docs/contracts.md §4: fields are additive). */
  fieldsJson: string;
  source: EventSource;
  marshalError?: boolean;
  /** A tenant event's own id (GET /events), when the tenant gave it. */
  tenantEventId?: string | null;
  /** A tenant event the /ws feed pushed. */
  pushed?: boolean;
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
/** Rows per INSERT statement on the batch path: one call into SQLite instead of sixteen. */
const ROWS_PER_INSERT = 16;
const ROW_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?)";
/** Stored ts of a record logged without a stamp: such records sort first, in file order. */
export const NO_STAMP = -1;

export class TimelineEvents {
  private readonly insert;
  private readonly insertMany;
  private readonly byIdentity;
  private readonly lastId;

  constructor(db: Db) {
    this.insert = db.prepare<
      [number | null, string, string | null, string | null, string, EventSource, number, number, string | null, number]
    >(
      `INSERT OR IGNORE INTO events
         (ts, event, workspace_id, instance_id, fields, source, marshal_error, dedup, tenant_event_id, pushed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMany = db.prepare(
      `INSERT OR IGNORE INTO events (ts, event, workspace_id, instance_id, fields, source, marshal_error, dedup)
       VALUES ${Array(ROWS_PER_INSERT).fill(ROW_VALUES).join(", ")}`,
    );
    this.byIdentity = db.prepare<[number, number], { id: number; event: string; fields: string }>(
      "SELECT id, event, fields FROM events WHERE ts = ? AND dedup = ?",
    );
    this.lastId = db.prepare<[], number>("SELECT ifnull(max(id), 0) FROM events").pluck();
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
        e.tenantEventId ?? null,
        e.pushed ? 1 : 0,
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

  /**
   * A parsed batch, sixteen rows a statement. When a statement inserts fewer rows than it was
   * given, its rows are checked one by one: an exact copy already stored is a duplicate, a
   * different record behind the same key is a hash collision and goes in under the next salt.
   */
  recordMany(b: RecordBatch, source: EventSource): { added: number; duplicates: number; fresh: Uint8Array } {
    let added = 0;
    // Which rows this call stored (1) rather than found already there (0).
    const fresh = new Uint8Array(b.count);
    const params: unknown[] = new Array(ROWS_PER_INSERT * 8);
    let i = 0;
    for (; i + ROWS_PER_INSERT <= b.count; i += ROWS_PER_INSERT) {
      for (let r = 0; r < ROWS_PER_INSERT; r++) {
        const k = i + r;
        const o = r * 8;
        params[o] = b.ts[k];
        params[o + 1] = b.event[k];
        params[o + 2] = b.workspaceId[k];
        params[o + 3] = b.instanceId[k];
        params[o + 4] = b.fields[k];
        params[o + 5] = source;
        params[o + 6] = b.marshalError[k];
        params[o + 7] = b.dedup[k];
      }
      const before = this.lastId.get()!;
      const inserted = this.insertMany.run(params).changes;
      added += inserted;
      if (inserted === ROWS_PER_INSERT) {
        fresh.fill(1, i, i + ROWS_PER_INSERT);
        continue;
      }
      for (let k = i; k < i + ROWS_PER_INSERT; k++) {
        const existing = this.byIdentity.get(b.ts[k]!, b.dedup[k]!);
        if (existing && existing.event === b.event[k] && existing.fields === b.fields[k]) {
          if (existing.id > before) fresh[k] = 1;
        } else if (this.recordRow(b, k, source)) {
          added++;
          fresh[k] = 1;
        }
      }
    }
    for (; i < b.count; i++) {
      if (this.recordRow(b, i, source)) {
        added++;
        fresh[i] = 1;
      }
    }
    return { added, duplicates: b.count - added, fresh };
  }

  private recordRow(b: RecordBatch, k: number, source: EventSource): boolean {
    const ts = b.ts[k]!;
    const e: TimelineEvent = {
      ts: ts === NO_STAMP ? null : ts,
      event: b.event[k]!,
      workspaceId: b.workspaceId[k]!,
      instanceId: b.instanceId[k]!,
      fieldsJson: b.fields[k]!,
      source,
      marshalError: b.marshalError[k] === 1,
    };
    return this.record(e, recordIdentity(e, b.occurrence[k]!));
  }
}
