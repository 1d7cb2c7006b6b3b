import type { StatusChange, WorkspaceList, WorkspaceView } from "../../core/api/views";

/**
 * Patches the cached list in place with a batch of status changes: only the changed rows get new
 * objects, so the table re-renders those rows and keeps its scroll position and selection.
 * Ids the list does not hold yet are returned; the caller refetches the list for them.
 */
export function applyStatusChanges(
  list: WorkspaceList,
  changes: readonly StatusChange[],
): { list: WorkspaceList; unknownIds: string[] } {
  if (changes.length === 0) return { list, unknownIds: [] };
  const latest = new Map<string, StatusChange>();
  for (const c of changes) latest.set(c.workspace_id, c);
  const rows: WorkspaceView[] = list.rows.slice();
  let changed = false;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as WorkspaceView;
    const c = latest.get(row.id);
    if (!c) continue;
    latest.delete(row.id);
    rows[i] = {
      ...row,
      name: c.name ?? row.name,
      status: c.status,
      source: c.source,
      asOf: c.as_of,
      since: c.since,
      detail: c.detail,
      stale: false,
    };
    changed = true;
  }
  return { list: changed ? { ...list, rows } : list, unknownIds: [...latest.keys()] };
}
