import { createHash } from "node:crypto";
import type { Db } from "./open-store";

export type EventSource = "console" | "provlog" | "tenant";

export interface TimelineEvent {
  ts: number; // ms since epoch
  event: string;
  workspaceId: string | null;
  instanceId: string | null;
  /** The payload as JSON text, verbatim, so unknown fields survive (SPEC §4: fields are additive). */
  fieldsJson: string;
  source: EventSource;
}

interface EventRow {
  ts: number;
  event: string;
  workspace_id: string | null;
  instance_id: string | null;
  fields: string;
  source: EventSource;
}

/** Same instant, same name, same payload: the same record, whichever file or run it came from. */
export function dedupKey(e: Pick<TimelineEvent, "ts" | "event" | "fieldsJson">): string {
  return createHash("sha256").update(`${e.ts}\u0000${e.event}\u0000${e.fieldsJson}`).digest("base64url");
}

export class TimelineEvents {
  private readonly insert;
  private readonly byWorkspace;

  constructor(db: Db) {
    this.insert = db.prepare<[number, string, string | null, string | null, string, EventSource, string]>(
      `INSERT OR IGNORE INTO events (ts, event, workspace_id, instance_id, fields, source, dedup_key)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byWorkspace = db.prepare<[string], EventRow>(
      `SELECT ts, event, workspace_id, instance_id, fields, source FROM events WHERE workspace_id = ? ORDER BY ts, id`,
    );
  }

  /** Returns false when the record was already there. */
  record(e: TimelineEvent): boolean {
    const r = this.insert.run(e.ts, e.event, e.workspaceId, e.instanceId, e.fieldsJson, e.source, dedupKey(e));
    return r.changes > 0;
  }

  forWorkspace(workspaceId: string): TimelineEvent[] {
    return this.byWorkspace.all(workspaceId).map((r) => ({
      ts: r.ts,
      event: r.event,
      workspaceId: r.workspace_id,
      instanceId: r.instance_id,
      fieldsJson: r.fields,
      source: r.source,
    }));
  }
}
