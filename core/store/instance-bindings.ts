import type { Db } from "./open-store";

export type BindingSource = "start" | "provlog" | "tenant";

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
  private readonly insertClosed;
  private readonly closeById;
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
    this.insertClosed = db.prepare<[string, string, BindingSource, number, number]>(
      `INSERT INTO instance_bindings (workspace_id, instance_id, source, state, bound_at, unbound_at)
       VALUES (?, ?, ?, NULL, ?, ?)`,
    );
    this.closeById = db.prepare<[number, number]>("UPDATE instance_bindings SET unbound_at = ? WHERE id = ?");
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

  /**
   * For a caller that mirrors the open binding (an import): replace it, known by row id, with
   * a new one; a row-id update skips the search for open rows. Returns the new row's id.
   */
  replaceOpen(
    openRowId: number | null,
    workspaceId: string,
    instanceId: string,
    source: BindingSource,
    at: number,
  ): number {
    if (openRowId !== null) this.closeById.run(at, openRowId);
    return Number(this.insert.run(workspaceId, instanceId, source, null, at).lastInsertRowid);
  }

  /** Ends the binding with this row id (an import's mirror of the open binding). */
  closeRow(rowId: number, at: number): void {
    this.closeById.run(at, rowId);
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

  /** A binding that began and ended in the past, learnt after a newer one (an old log imported late). */
  recordPast(workspaceId: string, instanceId: string, source: BindingSource, boundAt: number, unboundAt: number): void {
    this.insertClosed.run(workspaceId, instanceId, source, boundAt, unboundAt);
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
