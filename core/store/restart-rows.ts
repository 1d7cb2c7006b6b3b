import type { Db } from "./open-store";

export type RestartState = "running" | "done" | "failed" | "cancelled" | "interrupted";

export interface RestartRow {
  id: number;
  workspaceId: string;
  via: string;
  state: RestartState;
  step: string;
  ownerPid: number;
  startedAt: number;
  updatedAt: number;
  error: string | null;
}

interface Stored {
  id: number;
  workspace_id: string;
  via: string;
  state: RestartState;
  step: string;
  owner_pid: number;
  started_at: number;
  updated_at: number;
  error: string | null;
}

/**
 * The restarts table: one running restart a workspace, enforced by a partial unique index so a
 * CLI and the desktop app cannot both restart the same workspace. A row whose owner process is
 * gone (kill -9, a crash) is marked interrupted, with the last step it reached, never as done.
 */
export class RestartRows {
  private readonly insert;
  private readonly runningFor;
  private readonly update;
  private readonly latest;

  constructor(
    private readonly db: Db,
    private readonly isAlive: (pid: number) => boolean = processIsAlive,
  ) {
    this.insert = db.prepare<[string, string, number, number, number]>(
      `INSERT INTO restarts (workspace_id, via, state, step, owner_pid, started_at, updated_at)
       VALUES (?, ?, 'running', 'requested', ?, ?, ?)`,
    );
    this.runningFor = db.prepare<[string], Stored>(
      "SELECT * FROM restarts WHERE workspace_id = ? AND state = 'running'",
    );
    this.update = db.prepare<{ id: number; state: RestartState; step: string; at: number; error: string | null }>(
      "UPDATE restarts SET state = @state, step = @step, updated_at = @at, error = @error WHERE id = @id",
    );
    this.latest = db.prepare<[string], Stored>(
      "SELECT * FROM restarts WHERE workspace_id = ? ORDER BY started_at DESC, id DESC LIMIT 1",
    );
  }

  /** Claims the workspace; returns the new row id, or the running restart that holds it. */
  claim(workspaceId: string, via: string, at: number): { id: number } | { held: RestartRow } {
    return this.db
      .transaction(() => {
        const running = this.runningFor.get(workspaceId);
        if (running) {
          if (this.isAlive(running.owner_pid)) return { held: toRow(running) };
          // Its process is gone (kill -9, a crash): the restart stopped at its last step.
          this.update.run({ id: running.id, state: "interrupted", step: running.step, at, error: running.error });
        }
        return { id: Number(this.insert.run(workspaceId, via, process.pid, at, at).lastInsertRowid) };
      })
      .immediate();
  }

  step(id: number, step: string, at: number): void {
    this.update.run({ id, state: "running", step, at, error: null });
  }

  finish(id: number, state: Exclude<RestartState, "running">, step: string, at: number, error: string | null): void {
    this.update.run({ id, state, step, at, error });
  }

  /** The latest restart of a workspace, a running one whose owner died shown as interrupted. */
  latestFor(workspaceId: string): RestartRow | null {
    const row = this.latest.get(workspaceId);
    if (!row) return null;
    const r = toRow(row);
    if (r.state === "running" && !this.isAlive(r.ownerPid)) r.state = "interrupted";
    return r;
  }
}

function toRow(r: Stored): RestartRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    via: r.via,
    state: r.state,
    step: r.step,
    ownerPid: r.owner_pid,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    error: r.error,
  };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
