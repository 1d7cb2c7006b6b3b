import { useOps } from "../app/ops-context";
import { useStoreValue } from "../app/small-store";
import { elapsed, preciseTime } from "../ui/format-time";
import { useNow } from "../ui/use-now";
import { cancelRestart } from "./restart-runner";
import { FINISHED, type RestartRun, type RunPhase, restarts } from "./restart-store";

const PHASE_TEXT: Record<RunPhase, string> = {
  waiting: "Waiting to send",
  sending: "Sending",
  running: "Running",
  done: "Done",
  noop: "Nothing to restart",
  failed: "Failed",
  cancelled: "Cancelled",
  timeout: "Timed out",
};

/**
 * The progress trail of this page's restart of a workspace, as the host pushes it: every step
 * with its time, a Cancel while the host says it can still stop the restart, then the outcome.
 */
export function RestartTrail({
  workspaceId,
  currentInstance,
}: {
  workspaceId: string;
  currentInstance: string | null;
}) {
  const client = useOps();
  const run = useStoreValue(restarts, (s) => s.runs[workspaceId]);
  const active = run !== undefined && !FINISHED.has(run.phase);
  const now = useNow(active ? 250 : 60_000);
  if (!run) return null;
  const progress = run.progress;
  const outcome = progress?.outcome ?? null;
  const wait = progress?.sendsAt ? Math.max(0, Math.ceil((Date.parse(progress.sendsAt) - now) / 1000)) : null;
  const failedStep = run.refused !== null ? "request" : (progress?.step ?? null);
  return (
    <section className={`trail trail--${run.phase}`} aria-label="Restart progress">
      <header className="trail__head">
        <h3>
          Restart via {run.via} — <span className="trail__phase">{PHASE_TEXT[run.phase]}</span>
        </h3>
        {active && progress?.cancellable && (
          <button type="button" className="btn btn--small" onClick={() => void cancelRestart(client, workspaceId)}>
            {cancelText(run.via, wait)}
          </button>
        )}
      </header>
      <ol className="trail__steps">
        {(progress?.trail ?? []).map((s) => (
          <li key={`${s.step}|${s.at}`} className="trail__step">
            <time dateTime={s.at} className="mono">
              {preciseTime(s.at)}
            </time>
            <span className="trail__delta mono">{progress ? elapsed(progress.startedAt, s.at) : ""}</span>
            <span className="trail__name">{s.step}</span>
            {s.detail && <span className="trail__detail">{s.detail}</span>}
          </li>
        ))}
      </ol>
      {run.cancelNote && <p className="trail__note">{run.cancelNote}</p>}
      {run.phase === "failed" || run.phase === "timeout" ? (
        <div className="trail__error" role="alert">
          <strong>Restart failed{failedStep ? ` at step “${failedStep}”` : ""}:</strong> {run.refused ?? outcome?.error}
          <p>
            Nothing else was changed: the workspace stays in the list and its instance mapping is intact (
            <span className="mono">{currentInstance ?? run.instanceBefore ?? "no instance on file"}</span>).
          </p>
        </div>
      ) : null}
      {run.phase === "done" && (
        <p className="trail__ok" role="status">
          Restarted{outcome?.stopped_instance_id ? ` (instance ${outcome.stopped_instance_id} stopped first)` : ""}. The
          tenant booted a new instance and keeps its id to itself: import its server log to learn it.
        </p>
      )}
      {run.phase === "noop" && (
        <p className="trail__ok" role="status">
          Nothing to restart: {outcome?.message ?? "the tenant did nothing"}
        </p>
      )}
    </section>
  );
}

function cancelText(via: RestartRun["via"], wait: number | null): string {
  const what = via === "cp" ? "Stop" : "request";
  return wait !== null ? `Cancel — ${what} in ${wait} s` : `Cancel before ${what}`;
}
