import type { BindingView } from "../../core/api/views";
import { fullTime } from "../ui/format-time";

/** Which instance the workspace ran on, and when: the mapping Stop and IsRunning resolve from. */
export function InstanceHistory({ bindings }: { bindings: readonly BindingView[] }) {
  if (bindings.length === 0) return <p className="muted">No instance has been recorded for this workspace.</p>;
  return (
    <table className="table table--compact" aria-label="Instance history">
      <thead>
        <tr>
          <th scope="col">Instance</th>
          <th scope="col">Learnt from</th>
          <th scope="col">State</th>
          <th scope="col">Bound</th>
          <th scope="col">Unbound</th>
        </tr>
      </thead>
      <tbody>
        {bindings.map((b) => (
          <tr key={`${b.instanceId}|${b.boundAt}`} className={b.unboundAt ? "" : "row--current"}>
            <td className="mono">{b.instanceId}</td>
            <td>{b.source}</td>
            <td>{b.state ?? "—"}</td>
            <td>{fullTime(b.boundAt)}</td>
            <td>{b.unboundAt ? fullTime(b.unboundAt) : <span className="tag">current</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
