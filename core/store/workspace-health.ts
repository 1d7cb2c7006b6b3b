import type { Db } from "./open-store";

/** One status check's outcome, as the health table keeps it. */
export interface CheckOutcome {
  workspaceId: string;
  instanceId: string | null;
  /** The CP's state on a definitive answer; null when the check failed. */
  state: string | null;
  /** The check's safe error message; null on a definitive answer. */
  error: string | null;
}

export interface CrashRecord {
  workspaceId: string;
  instanceId: string | null;
  error: string;
  /** At most 8 KiB, cut at a line boundary (the caller cuts it). */
  tail: string;
  at: number;
}

/**
 * The workspace_health table: what the console itself observed. A definitive answer clears the
 * doubt; a failed check starts it (keeping the first failure's time, so "uncertain since T"
 * survives any number of retries) and never touches the last definitive answer.
 */
export class WorkspaceHealthRows {
  private readonly answered;
  private readonly failed;
  private readonly crash;
  private readonly reported;
  private readonly checkMany;

  constructor(db: Db) {
    this.answered = db.prepare<{ ws: string; instance: string | null; state: string; at: number }>(
      `INSERT INTO workspace_health (workspace_id, cp_instance_id, cp_state, cp_checked_at)
       VALUES (@ws, @instance, @state, @at)
       ON CONFLICT (workspace_id) DO UPDATE SET cp_instance_id = excluded.cp_instance_id,
         cp_state = excluded.cp_state, cp_checked_at = excluded.cp_checked_at,
         uncertain_since = NULL, uncertain_at = NULL, uncertain_error = NULL`,
    );
    this.failed = db.prepare<{ ws: string; error: string; at: number }>(
      `INSERT INTO workspace_health (workspace_id, uncertain_since, uncertain_at, uncertain_error)
       VALUES (@ws, @at, @at, @error)
       ON CONFLICT (workspace_id) DO UPDATE SET
         uncertain_since = coalesce(workspace_health.uncertain_since, excluded.uncertain_since),
         uncertain_at = excluded.uncertain_at, uncertain_error = excluded.uncertain_error`,
    );
    this.crash = db.prepare<{ ws: string; instance: string | null; error: string; tail: string; at: number }>(
      `INSERT INTO workspace_health (workspace_id, crash_instance_id, crash_error, crash_tail, crash_at)
       VALUES (@ws, @instance, @error, @tail, @at)
       ON CONFLICT (workspace_id) DO UPDATE SET crash_instance_id = excluded.crash_instance_id,
         crash_error = excluded.crash_error, crash_tail = excluded.crash_tail, crash_at = excluded.crash_at,
         crash_reported_at = CASE WHEN workspace_health.crash_instance_id = excluded.crash_instance_id
                                  THEN workspace_health.crash_reported_at END`,
    );
    this.reported = db.prepare<[number, string]>(
      "UPDATE workspace_health SET crash_reported_at = ? WHERE workspace_id = ?",
    );
    // A sweep of 10,000 answers lands in one transaction, not 10,000.
    this.checkMany = db.transaction((outcomes: readonly CheckOutcome[], at: number) => {
      for (const o of outcomes) this.recordOne(o, at);
    });
  }

  recordChecks(outcomes: readonly CheckOutcome[], at: number): void {
    this.checkMany(outcomes, at);
  }

  recordCrash(r: CrashRecord): void {
    this.crash.run({ ws: r.workspaceId, instance: r.instanceId, error: r.error, tail: r.tail, at: r.at });
  }

  markReported(workspaceId: string, at: number): void {
    this.reported.run(at, workspaceId);
  }

  private recordOne(o: CheckOutcome, at: number): void {
    if (o.error !== null || o.state === null) {
      this.failed.run({ ws: o.workspaceId, error: o.error ?? "no answer", at });
    } else {
      this.answered.run({ ws: o.workspaceId, instance: o.instanceId, state: o.state, at });
    }
  }
}
