import type { ComponentPropsWithoutRef } from "react";
import type { TimelineView } from "../../core/api/views";
import { fullTime } from "../ui/format-time";

/**
 * The columns of an event table: the detail's Events tab leaves out which workspace and
 * instance (they are the detail's own); the Timeline shows them.
 */
export function EventHeadRow({ where, ...row }: { where: boolean } & ComponentPropsWithoutRef<"tr">) {
  return (
    <tr {...row}>
      <th scope="col">Time</th>
      <th scope="col">Event</th>
      {where && (
        <>
          <th scope="col">Workspace</th>
          <th scope="col">Instance</th>
        </>
      )}
      <th scope="col">Source</th>
      <th scope="col">Fields</th>
    </tr>
  );
}

/**
 * One event as a table row. With `names` (workspace id → name) it has the workspace and
 * instance columns of EventHeadRow's `where`.
 */
export function EventRow({
  event: r,
  names,
  ...row
}: { event: TimelineView; names?: ReadonlyMap<string, string> } & ComponentPropsWithoutRef<"tr">) {
  return (
    <tr {...row}>
      <td className="nowrap">{fullTime(r.ts)}</td>
      <td className="mono">{r.event}</td>
      {names && (
        <>
          <td className="ellipsis" title={r.workspaceId ?? ""}>
            {r.workspaceId ? (names.get(r.workspaceId) ?? r.workspaceId) : "—"}
          </td>
          <td className="mono">{r.instanceId ?? "—"}</td>
        </>
      )}
      <td>{r.source}</td>
      <td className="mono ellipsis" title={r.fields}>
        {r.fields}
      </td>
    </tr>
  );
}
