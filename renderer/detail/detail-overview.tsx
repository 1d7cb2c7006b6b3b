import type { WorkspaceDetail } from "../../core/api/views";
import { ConsoleText } from "../console/console-text";
import { clockTime, fullTime } from "../ui/format-time";
import { StatusBadge } from "../workspaces/status-badge";
import { InstanceHistory } from "./instance-history";

/** Fields, instance history, last error, crash tail and the last restart of one workspace. */
export function DetailOverview({ detail }: { detail: WorkspaceDetail }) {
  const w = detail.workspace;
  const extra = Object.entries(detail.fields).filter(([k]) => k !== "last_sample_error");
  return (
    <div className="overview">
      <section aria-label="Status">
        <h3>Status</h3>
        <dl className="fields">
          <dt>Shown status</dt>
          <dd>
            <StatusBadge status={w.status} since={w.since} detail={w.detail} />{" "}
            <span className="muted">from {w.source}</span>
            {w.detail && <div className="muted">{w.detail}</div>}
          </dd>
          <dt>Tenant says</dt>
          <dd>{w.tenantStatus ?? "—"}</dd>
          <dt>As of</dt>
          <dd title={w.asOf}>
            {fullTime(w.asOf)}
            {w.stale && <span className="tag tag--stale">stale</span>}
            {w.gone && <span className="tag tag--gone">not in the last sync</span>}
          </dd>
          {w.since && (
            <>
              <dt>Uncertain since</dt>
              <dd>{fullTime(w.since)}</dd>
            </>
          )}
        </dl>
      </section>
      <section aria-label="Fields">
        <h3>Fields</h3>
        <dl className="fields">
          <dt>Workspace id</dt>
          <dd className="mono">{w.id}</dd>
          <dt>Runtime</dt>
          <dd>{w.runtime ?? "—"}</dd>
          <dt>Tier</dt>
          <dd>{w.tier ?? "—"}</dd>
          <dt>Instance</dt>
          <dd data-testid="detail-instance">
            <span className="mono">{w.instanceId ?? "none on file"}</span>
            {!w.instanceId && w.runtime === "external" && (
              <div className="muted" data-testid="instance-hint">
                An external workspace is run by its operator: the platform never gives it an instance, so none will be
                on file. Its status and events come from the tenant; a restart is the operator's to do.
              </div>
            )}
            {!w.instanceId && w.runtime !== "external" && (
              <div className="muted" data-testid="instance-hint">
                The tenant API never says which instance a workspace runs on: import the tenant's server log (Timeline →
                Import) to learn it. Status, console, events and restart work without it.
              </div>
            )}
            {w.instanceId && !w.instanceCurrent && (
              <div className="muted" data-testid="instance-hint">
                The tenant re-provisioned this workspace after this instance was recorded: it may have been replaced.
                Import the tenant's newer server log to learn the current one.
              </div>
            )}
          </dd>
          <dt>Last heartbeat</dt>
          <dd title={w.lastHeartbeatAt ?? undefined}>{w.lastHeartbeatAt ? fullTime(w.lastHeartbeatAt) : "—"}</dd>
          {extra.map(([k, v]) => (
            <FieldRow key={k} name={k} value={v} />
          ))}
        </dl>
      </section>
      <section aria-label="Instance history">
        <h3>Instance history</h3>
        <InstanceHistory bindings={detail.bindings} />
      </section>
      <section aria-label="Last error">
        <h3>Last error and log tail</h3>
        {!detail.lastError && !detail.crash && <p className="muted">No error recorded for this workspace.</p>}
        {detail.lastError && (
          <pre className="error-text" data-testid="last-error">
            {detail.lastError}
          </pre>
        )}
        {detail.crash && (
          <div className="crash">
            <p>
              <strong>Boot crash</strong> on {detail.crash.instanceId ?? "an unknown instance"} at{" "}
              {fullTime(detail.crash.at)}: <span className="crash__error">{detail.crash.error}</span>
              {detail.crash.reportedAt ? (
                <span className="muted"> — reported to the tenant {clockTime(detail.crash.reportedAt)}</span>
              ) : null}
            </p>
            <ConsoleText text={detail.crash.tail} label="Console tail at the crash" />
          </div>
        )}
      </section>
      <section aria-label="Last restart">
        <h3>Last restart</h3>
        {detail.lastRestart ? (
          <p>
            via {detail.lastRestart.via}: <strong>{detail.lastRestart.state}</strong> at step {detail.lastRestart.step},
            started {fullTime(detail.lastRestart.startedAt)}, updated {clockTime(detail.lastRestart.updatedAt)}
            {detail.lastRestart.error && <span className="crash__error"> — {detail.lastRestart.error}</span>}
          </p>
        ) : (
          <p className="muted">Never restarted from this console.</p>
        )}
      </section>
    </div>
  );
}

function FieldRow({ name, value }: { name: string; value: unknown }) {
  const text = value === null || value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);
  return (
    <>
      <dt>{name.replaceAll("_", " ")}</dt>
      <dd className={typeof value === "string" && /^i-|^[0-9a-f-]{36}$/.test(value) ? "mono" : undefined}>{text}</dd>
    </>
  );
}
