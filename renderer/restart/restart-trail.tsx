import { useOps } from "../app/ops-context";
import { useStoreValue } from "../app/small-store";
import { elapsed, preciseTime } from "../ui/format-time";
import { useNow } from "../ui/use-now";
import { cancelRestart } from "./restart-runner";
import { canCancel, FINISHED, type RestartRun, restarts } from "./restart-store";

const PHASE_TEXT: Record<RestartRun["phase"], string> = {
  waiting: "Waiting to send",
  sending: "Sending",
  running: "Running",
  done: "Done",
  noop: "Nothing to restart",
  failed: "Failed",
  cancelled: "Cancelled",
  timeout: "Timed out",
};

/** The progress trail of this page's restart of a workspace: every step with its time. */
export function RestartTrail({
  workspaceId,
  currentInstance,
}: {
  workspaceId: string;
  currentInstance: string | null;
}) {
  const client = useOps();
  const run = useStoreValue(restarts, (s) => s.runs[workspaceId]);
  const waiting = run !== undefined && !FINISHED.has(run.phase);
  const now = useNow(waiting ? 250 : 60_000);
  if (!run) return null;
  const finished = !waiting;
  const wait = run.sendAt !== null ? Math.max(0, Math.ceil((run.sendAt - now) / 1000)) : null;
  return (
    <section className={`trail trail--${run.phase}`} aria-label="Restart progress">
      <header className="trail__head">
        <h3>
          Restart via {run.via} — <span className="trail__phase">{PHASE_TEXT[run.phase]}</span>
        </h3>
        {canCancel(run) && !finished && (
          <button type="button" className="btn btn--small" onClick={() => void cancelRestart(client, workspaceId)}>
            {cancelText(run.via, wait)}
          </button>
        )}
      </header>
      <ol className="trail__steps">
        {run.steps.map((s) => (
          <li key={`${s.origin}|${s.step}|${s.at}`} className={`trail__step trail__step--${s.origin}`}>
            <time dateTime={s.at} className="mono">
              {preciseTime(s.at)}
            </time>
            <span className="trail__delta mono">{elapsed(run.startedAt, s.at)}</span>
            <span className="trail__name">{s.step}</span>
            {s.detail && <span className="trail__detail">{s.detail}</span>}
          </li>
        ))}
      </ol>
      {run.cancelNote && <p className="trail__note">{run.cancelNote}</p>}
      {run.phase === "failed" || run.phase === "timeout" ? (
        <div className="trail__error" role="alert">
          <strong>Restart failed{run.failedStep ? ` at step “${run.failedStep}”` : ""}:</strong> {run.error}
          <p>
            Nothing else was changed: the workspace stays in the list and its instance mapping is intact (
            <span className="mono">{currentInstance ?? run.instanceBefore ?? "no instance on file"}</span>).
          </p>
        </div>
      ) : null}
      {run.phase === "done" && (
        <p className="trail__ok" role="status">
          Restarted{run.stoppedInstanceId ? ` (instance ${run.stoppedInstanceId} stopped first)` : ""}. The tenant
          booted a new instance and keeps its id to itself: import its server log to learn it.
        </p>
      )}
      {run.phase === "noop" && (
        <p className="trail__ok" role="status">
          Nothing to restart: {run.message ?? "the tenant did nothing"}
        </p>
      )}
    </section>
  );
}

function cancelText(via: RestartRun["via"], wait: number | null): string {
  const what = via === "cp" ? "Stop" : "request";
  return wait !== null ? `Cancel — ${what} in ${wait} s` : `Cancel before ${what}`;
}
