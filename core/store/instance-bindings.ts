import type Database from "better-sqlite3";
import type { Db } from "./open-store";

export type BindingSource = "start" | "provlog" | "tenant";

/** A binding row an import learnt, numbered by the import (InstanceBindings.insertLearnt). */
export interface LearntBinding {
  id: number;
  workspaceId: string;
  instanceId: string;
  source: BindingSource;
  boundAt: number;
  unboundAt: number | null;
}

/** Rows a statement on an import's batch path: one call into SQLite instead of sixteen. */
const ROWS_PER_STATEMENT = 16;

function setRowParams(params: unknown[], o: number, row: LearntBinding): void {
  params[o] = row.id;
  params[o + 1] = row.workspaceId;
  params[o + 2] = row.instanceId;
  params[o + 3] = row.source;
  params[o + 4] = row.boundAt;
  params[o + 5] = row.unboundAt;
}

export interface InstanceBinding {
  workspaceId: string;
  instanceId: string;
  source: BindingSource;
  state: string | null;
  boundAt: number;
  unboundAt: number | null;
}

interface BindingRow {
  workspace_id: string;
  instance_id: string;
  source: BindingSource;
  state: string | null;
  bound_at: number;
  unbound_at: number | null;
}

/**
 * The workspace→instance mapping. Stop and IsRunning resolve the EC2 id here, never from the
 * workspace UUID: passing the UUID made EC2 answer InvalidInstanceID.Malformed, the terminate
 * failed, and the next provision hit InvalidGroup.Duplicate (seed, 2026-04-22).
 */
export class InstanceBindings {
  private readonly closeOpen;
  private readonly insert;
  private readonly history;
  private readonly openRow;
  private readonly insertRows;
  private readonly closeRows;
  private readonly maxId;
  private readonly allOpenRows;
  private readonly openOrdered;

  constructor(db: Db) {
    this.closeOpen = db.prepare<{ at: number; ws: string; instance: string | null }>(
      `UPDATE instance_bindings INDEXED BY instance_bindings_open SET unbound_at = @at
       WHERE workspace_id = @ws AND unbound_at IS NULL AND (@instance IS NULL OR instance_id = @instance)`,
    );
    this.insert = db.prepare<[string, string, BindingSource, string | null, number]>(
      `INSERT INTO instance_bindings (workspace_id, instance_id, source, state, bound_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.openRow = db.prepare<[string], { id: number; instance_id: string; bound_at: number }>(
      `SELECT id, instance_id, bound_at FROM instance_bindings INDEXED BY instance_bindings_open
       WHERE workspace_id = ? AND unbound_at IS NULL ORDER BY bound_at DESC, id DESC LIMIT 1`,
    );
    this.insertRows = [1, ROWS_PER_STATEMENT].map((n) =>
      db.prepare(
        `INSERT INTO instance_bindings (id, workspace_id, instance_id, source, state, bound_at, unbound_at)
         VALUES ${Array(n).fill("(?, ?, ?, ?, NULL, ?, ?)").join(", ")}`,
      ),
    );
    this.closeRows = [1, ROWS_PER_STATEMENT].map((n) =>
      db.prepare(
        `UPDATE instance_bindings SET unbound_at = v.column2
         FROM (VALUES ${Array(n).fill("(?, ?)").join(", ")}) AS v WHERE instance_bindings.id = v.column1`,
      ),
    );
    this.maxId = db.prepare<[], number>("SELECT ifnull(max(id), 0) FROM instance_bindings").pluck();
    this.allOpenRows = db.prepare<[], { id: number; workspace_id: string; instance_id: string; bound_at: number }>(
      "SELECT id, workspace_id, instance_id, bound_at FROM instance_bindings WHERE unbound_at IS NULL ORDER BY id",
    );
    this.openOrdered = db.prepare<[], { workspace_id: string; instance_id: string }>(
      "SELECT workspace_id, instance_id FROM instance_bindings WHERE unbound_at IS NULL ORDER BY bound_at, id",
    );
    this.history = db.prepare<[string], BindingRow>(
      `SELECT workspace_id, instance_id, source, state, bound_at, unbound_at FROM instance_bindings
       WHERE workspace_id = ? ORDER BY bound_at, id`,
    );
  }

  /**
   * Every workspace's open binding in one query, picked as resolveInstanceId picks it (the
   * latest bound_at, then id, wins): for a sweep over thousands of workspaces.
   */
  openInstances(): Map<string, string> {
    const map = new Map<string, string>();
    for (const r of this.openOrdered.iterate()) map.set(r.workspace_id, r.instance_id);
    return map;
  }

  /** How many of these workspaces have no open binding. */
  countUnbound(workspaceIds: readonly string[]): number {
    let n = 0;
    for (const id of workspaceIds) if (this.openRow.get(id) === undefined) n++;
    return n;
  }

  /** The instance currently bound to the workspace, or null when none is on file. */
  resolveInstanceId(workspaceId: string): string | null {
    return this.openRow.get(workspaceId)?.instance_id ?? null;
  }

  /** Binds a new instance; a workspace has one instance at a time, so earlier ones are closed. */
  bind(workspaceId: string, instanceId: string, source: BindingSource, state: string | null, at: number): number {
    this.closeOpen.run({ at, ws: workspaceId, instance: null });
    return Number(this.insert.run(workspaceId, instanceId, source, state, at).lastInsertRowid);
  }

  /** The largest row id so far (0 for none): an import numbers the rows it learnt from the next one. */
  lastRowId(): number {
    return this.maxId.get()!;
  }

  /**
   * Rows an import learnt from one batch, with the ids it gave them (one past lastRowId, in
   * order: what SQLite would have chosen), sixteen rows a statement.
   */
  insertLearnt(rows: readonly LearntBinding[]): void {
    const [one, many] = this.insertRows as [Database.Statement, Database.Statement];
    const params: unknown[] = new Array(ROWS_PER_STATEMENT * 6);
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
      for (let r = 0; r < ROWS_PER_STATEMENT; r++) setRowParams(params, r * 6, rows[i + r]!);
      many.run(params);
    }
    const single: unknown[] = new Array(6);
    for (; i < rows.length; i++) {
      setRowParams(single, 0, rows[i]!);
      one.run(single);
    }
  }

  /** Ends the bindings with these row ids (an import's mirror of the open ones), sixteen a statement. */
  closeLearnt(rowIds: readonly number[], at: readonly number[]): void {
    const [one, many] = this.closeRows as [Database.Statement, Database.Statement];
    const params: unknown[] = new Array(ROWS_PER_STATEMENT * 2);
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rowIds.length; i += ROWS_PER_STATEMENT) {
      for (let r = 0; r < ROWS_PER_STATEMENT; r++) {
        params[r * 2] = rowIds[i + r];
        params[r * 2 + 1] = at[i + r];
      }
      many.run(params);
    }
    for (; i < rowIds.length; i++) one.run(rowIds[i], at[i]);
  }

  /** Every open binding, by workspace: one scan, no index needed (a bulk import runs without them). */
  allOpen(): Map<string, { rowId: number; instanceId: string; boundAt: number }> {
    const open = new Map<string, { rowId: number; instanceId: string; boundAt: number }>();
    for (const r of this.allOpenRows.iterate()) {
      const known = open.get(r.workspace_id);
      if (!known || known.boundAt <= r.bound_at) {
        open.set(r.workspace_id, { rowId: r.id, instanceId: r.instance_id, boundAt: r.bound_at });
      }
    }
    return open;
  }

  /** Closes the binding after a successful Stop; the row stays as history. */
  unbind(workspaceId: string, instanceId: string, at: number): void {
    this.closeOpen.run({ at, ws: workspaceId, instance: instanceId });
  }

  historyOf(workspaceId: string): InstanceBinding[] {
    return this.history.all(workspaceId).map((r) => ({
      workspaceId: r.workspace_id,
      instanceId: r.instance_id,
      source: r.source,
      state: r.state,
      boundAt: r.bound_at,
      unboundAt: r.unbound_at,
    }));
  }
}
