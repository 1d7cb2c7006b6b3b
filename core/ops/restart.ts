import { setTimeout as sleep } from "node:timers/promises";
import type { RestartOutcome, RestartPhase, RestartProgress, RestartStep, RestartVia } from "../api/views";
import { stripControlChars } from "../config/redact";
import type { CpClient } from "../cp/cp-client";
import { OpsError, type OpsErrorCode } from "../errors";
import type { Store } from "../store/store";
import { bindingIsCurrent } from "../store/workspace-rows";
import type { TenantClient } from "../tenant/tenant-client";
import { NO_INSTANCE_HINT } from "./instance-hint";

/** The API's own view types (core/api/views.ts), which these values are. */
export type { RestartOutcome, RestartPhase, RestartProgress, RestartStep, RestartVia };

export const RESTART_VIAS: readonly RestartVia[] = ["cp", "tenant"];

export interface RestartRequest {
  workspaceId: string;
  via: RestartVia;
  /**
   * How long to wait before the first request, so that a person who confirmed can still cancel
   * with nothing sent (default 0: the CLI's --yes is its confirmation). A restart with a grace
   * period has two more steps: "confirmed" when it is asked for, "sent" when the grace is over.
   */
  graceMs?: number;
  /** How long to follow the workspace after the restart was sent (default 10 minutes). */
  followTimeoutMs?: number;
  /** Status poll period while following (default 2 s). */
  pollMs?: number;
  onStep?: (step: RestartStep) => void;
}

/** A restart in flight: its outcome, and a cancel that works until the point of no return. */
export interface RestartHandle {
  readonly workspaceId: string;
  readonly via: RestartVia;
  readonly done: Promise<RestartOutcome>;
  /** Steps so far (a joiner sees what happened before it joined). */
  readonly steps: readonly RestartStep[];
  /** Whether cancel() would still stop it (see RestartProgress.cancellable). */
  readonly cancellable: boolean;
  /** true when cancelled; false once the Stop (cp) or the restart request was about to be sent, or it is over. */
  cancel(): boolean;
  /** Steps from now on, for a joiner. */
  onStep(listener: (step: RestartStep) => void): () => void;
  /** The restart as it stands now. */
  progress(): RestartProgress;
  /** The restart after every change from now on: a step, the point of no return, its outcome. */
  onProgress(listener: (progress: RestartProgress) => void): () => void;
}

export interface RestartDeps {
  store: Store;
  cp: CpClient | null;
  tenant: TenantClient | null;
  now?: () => number;
}

/**
 * Safe restarts (docs/contracts.md §5). The tenant restarts a workspace: it provisions with the workspace's own
 * secrets and records the new instance in its database. The console never Starts a machine
 * through the CP for a workspace the tenant knows: the CP would boot it without those secrets
 * (env is the tenant's to give) and the tenant would keep the old instance id, a second, broken
 * machine. Via cp is for a stuck instance: Stop the instance on file through the CP first, then
 * ask the tenant. One restart a workspace at a time: asking again with the same method joins the
 * running one, another method is a conflict, and a restart held by another process (the restarts
 * table) is a conflict naming it. Every step goes to the timeline in provlog format with source
 * "console", so what staff did can be exported next to what the servers logged.
 */
export class RestartCoordinator {
  private readonly running = new Map<string, RestartHandle>();
  /** The latest restart of each workspace started here, over or not: replayed to a late subscriber. */
  private readonly latestRuns = new Map<string, RestartHandle>();
  /** Aborted by close(): the host is going away, so nothing may wait on a restart any more. */
  private readonly closing = new AbortController();
  private readonly now: () => number;

  constructor(private readonly deps: RestartDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Starts a restart, or joins the running one with the same method. Its whole life is the
   * handle's, whoever shows it (the CLI's lines, the UI's trail): the grace period asked for,
   * what can still be cancelled, every step and the outcome (onProgress, restartProgress), and,
   * once over, its last state for a subscriber that comes late (`latest`).
   */
  restart(req: RestartRequest): RestartHandle {
    if (this.closing.signal.aborted) throw new OpsError("Cancelled", "the host is closing: no new restart");
    const current = this.running.get(req.workspaceId);
    if (current) {
      if (current.via === req.via) {
        if (req.onStep) current.onStep(req.onStep);
        return current;
      }
      throw new OpsError(
        "Conflict",
        `a restart of ${req.workspaceId} via ${current.via} is already running; wait for it or cancel it first`,
      );
    }
    this.checkReady(req);
    const claim = this.deps.store.restarts.claim(req.workspaceId, req.via, this.now());
    if ("held" in claim) {
      throw new OpsError(
        "Conflict",
        `${req.workspaceId} is already being restarted via ${claim.held.via} by another molecule-ops (pid ${claim.held.ownerPid}, step ${claim.held.step})`,
      );
    }
    const run = new RestartRun(this.deps, req, claim.id, this.now, this.closing.signal);
    this.running.set(req.workspaceId, run);
    this.latestRuns.delete(req.workspaceId);
    this.latestRuns.set(req.workspaceId, run);
    for (const id of this.latestRuns.keys()) {
      if (this.latestRuns.size <= KEEP_LATEST) break;
      this.latestRuns.delete(id);
    }
    const release = () => this.running.delete(req.workspaceId);
    run.done.then(release, release);
    return run;
  }

  /**
   * For a host that is going away (Ctrl-C, a window closed): restarts still in their grace period
   * end cancelled with nothing sent; one already sent stops following the workspace and ends
   * failed, saying its end is not known here (its journal says so too, while the cache is open).
   * Resolves once every restart has recorded its outcome, so the store can be closed after it.
   */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  /** The restart in flight for a workspace in this process, if any. */
  get(workspaceId: string): RestartHandle | undefined {
    return this.running.get(workspaceId);
  }

  /** The latest restart of a workspace in this process, in flight or over. */
  latest(workspaceId: string): RestartHandle | undefined {
    return this.latestRuns.get(workspaceId);
  }

  /** Refuses before anything is claimed or sent: each method needs its backends, via cp a current instance. */
  private checkReady(req: RestartRequest): void {
    if (!this.deps.tenant) {
      throw new OpsError("NoBackend", `restart via ${req.via}: no tenant platform is configured`);
    }
    if (req.via !== "cp") return;
    if (!this.deps.cp) throw new OpsError("NoBackend", "restart via cp: no control plane is configured");
    const row = this.deps.store.workspaces.get(req.workspaceId);
    const instanceId = row?.instanceId ?? this.deps.store.resolveInstanceId(req.workspaceId);
    if (!instanceId) {
      throw new OpsError(
        "Input",
        `restart via cp needs the instance of ${req.workspaceId} on file, and none is (${NO_INSTANCE_HINT}); or restart via tenant`,
      );
    }
    if (row && !bindingIsCurrent(row)) {
      throw new OpsError(
        "Input",
        `restart via cp: the instance on file for ${req.workspaceId} (${instanceId}) predates the tenant's last ` +
          "re-provisioning, so it may not be the one running: import the tenant's newer server log, or restart via tenant",
      );
    }
  }
}

const DEFAULT_FOLLOW_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 2000;
/** Finished restarts kept for replay: one a workspace, the oldest dropped past this many workspaces. */
const KEEP_LATEST = 500;

class RestartRun implements RestartHandle {
  readonly workspaceId: string;
  readonly via: RestartVia;
  readonly done: Promise<RestartOutcome>;
  readonly steps: RestartStep[] = [];
  private readonly listeners = new Set<(step: RestartStep) => void>();
  private readonly progressListeners = new Set<(progress: RestartProgress) => void>();
  private readonly cancelled = new AbortController();
  /** Set once the Stop (cp) or the restart request is about to be sent: no cancel after it. */
  private committed = false;
  private lastStep = "requested";
  private phase: RestartPhase;
  private readonly startedAt: number;
  private readonly graceMs: number;
  private outcome: RestartOutcome | null = null;
  /** The outcome as the trail's last line, once it is over. */
  private closing: RestartStep | null = null;

  constructor(
    private readonly deps: RestartDeps,
    private readonly req: RestartRequest,
    private readonly rowId: number,
    private readonly now: () => number,
    /** The coordinator's close(): a cancel for what is not sent yet, the end of following for what is. */
    private readonly hostClosing: AbortSignal,
  ) {
    this.workspaceId = req.workspaceId;
    this.via = req.via;
    this.startedAt = now();
    this.graceMs = Math.max(0, req.graceMs ?? 0);
    this.phase = this.graceMs > 0 ? "waiting" : "running";
    if (req.onStep) this.listeners.add(req.onStep);
    if (this.graceMs > 0) {
      this.step("confirmed", `via ${this.via}; the request goes out in ${seconds(this.graceMs)} s unless cancelled`);
    }
    // Started on the next tick, so the caller can attach listeners and cancel before anything is sent.
    this.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run());
  }

  get cancellable(): boolean {
    return !this.committed && this.outcome === null;
  }

  cancel(): boolean {
    if (!this.cancellable) return false;
    this.cancelled.abort();
    return true;
  }

  onStep(listener: (step: RestartStep) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  progress(): RestartProgress {
    return {
      workspaceId: this.workspaceId,
      via: this.via,
      phase: this.phase,
      cancellable: this.cancellable,
      sendsAt: this.phase === "waiting" ? new Date(this.startedAt + this.graceMs).toISOString() : null,
      startedAt: new Date(this.startedAt).toISOString(),
      trail: this.closing ? [...this.steps, this.closing] : [...this.steps],
      step: this.lastStep,
      outcome: this.outcome,
    };
  }

  onProgress(listener: (progress: RestartProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  private changed(): void {
    if (this.progressListeners.size === 0) return;
    const now = this.progress();
    for (const listener of this.progressListeners) listener(now);
  }

  private async run(): Promise<RestartOutcome> {
    let stopped: string | null = null;
    try {
      if (this.graceMs > 0) await this.waitOutGrace();
      if (this.req.via === "cp") stopped = await this.stopOnFile();
      const answer = await this.askTenant();
      if (answer.status === "noop") {
        const message = answer.message ?? "the tenant has nothing to restart";
        this.step("noop", message);
        this.journal("restart.noop", { via: this.via, message });
        return this.finish("noop", stopped, null, message);
      }
      await this.followTenant();
      this.journal("restart.done", { via: this.via });
      return this.finish("done", stopped, null, null);
    } catch (error) {
      const e = asOpsError(error);
      if (e.code === "Cancelled" && !this.committed) {
        this.journal("restart.cancelled", { via: this.via, step: this.lastStep });
        return this.finish("cancelled", null, "cancelled before anything was sent", null, e.code);
      }
      const outcome = e.code === "Timeout" ? "timeout" : "failed";
      this.journal("restart.failed", { via: this.via, step: this.lastStep, error: e.message });
      return this.finish(outcome, stopped, e.message, null, e.code);
    }
  }

  /** The grace period: a cancel in it ends the restart with nothing sent; then "sent". */
  private async waitOutGrace(): Promise<void> {
    const signal = AbortSignal.any([this.cancelled.signal, this.hostClosing]);
    await sleep(this.graceMs, undefined, { signal }).catch(() => {});
    this.checkCancelled();
    this.phase = "running";
    this.step("sent", `the grace period is over: restart via ${this.via}`);
  }

  /** Via cp: restart.pre_stop, then Stop the instance on file through the CP (docs/contracts.md §5). */
  private async stopOnFile(): Promise<string> {
    const cp = this.deps.cp as CpClient;
    const instanceId = this.deps.store.resolveInstanceId(this.workspaceId);
    if (!instanceId) throw new OpsError("Input", `restart via cp: no instance of ${this.workspaceId} is on file`);
    this.step("pre_stop", `instance ${instanceId}`);
    this.commit();
    this.journal("restart.pre_stop", { backend: "cp", instance_id: instanceId });
    this.step("stop", `stopping ${instanceId}`);
    // A failed Stop ends here: CpClient leaves the mapping as it was and its error names the
    // workspace and the status. Asking the tenant anyway would leave the stuck instance running.
    const r = await cp.stop(this.workspaceId, { instanceId });
    this.step("stopped", `instance ${r.instanceId ?? instanceId}`);
    return instanceId;
  }

  /** POST /workspaces/:id/restart: the tenant stops what it knows and provisions anew. */
  private async askTenant() {
    const tenant = this.deps.tenant as TenantClient;
    this.step("request", "POST /workspaces/:id/restart");
    this.commit();
    this.journal("restart.requested", { via: this.via });
    const answer = await tenant.restart(this.workspaceId);
    if (answer.status !== "noop") {
      this.step("accepted", `status ${answer.status || "unknown"}`);
      // The tenant replaces the instance and never says with which: the one on file is no longer
      // known to be current (the sweep stops asking about it) until a newer server log says.
      this.deps.store.workspaces.noteProvisioning(this.workspaceId, this.now());
    }
    return answer;
  }

  /** Follows the tenant's status until online; failed and removed are final. */
  private async followTenant(): Promise<void> {
    const tenant = this.deps.tenant as TenantClient;
    await this.follow(async () => {
      let status: string;
      try {
        status = (await tenant.getWorkspace(this.workspaceId, { signal: this.hostClosing })).status ?? "unknown";
      } catch (error) {
        const e = asOpsError(error);
        if (e.code === "Gone")
          return { state: "removed", detail: null, final: "the workspace was removed on the tenant" };
        return { state: "uncertain", detail: e.message, final: null };
      }
      if (status === "online") return { state: status, detail: null, final: "done" };
      if (status === "failed") {
        const reason = await this.failureReason();
        return { state: status, detail: reason, final: `the workspace failed${reason ? `: ${reason}` : ""}` };
      }
      return { state: status, detail: null, final: null };
    });
  }

  /**
   * Why the boot failed: the latest WORKSPACE_PROVISION_FAILED's error. GET /workspaces/:id strips
   * last_sample_error (handlers/workspace.go), and the whole list is too much to fetch for one row.
   */
  private async failureReason(): Promise<string | null> {
    try {
      const { events } = await (this.deps.tenant as TenantClient).listWorkspaceEvents(this.workspaceId);
      const failed = events.find((e) => e.eventType === "WORKSPACE_PROVISION_FAILED");
      const payload = failed?.payload;
      const error = payload && typeof payload === "object" ? (payload as Record<string, unknown>).error : undefined;
      return typeof error === "string" && error !== "" ? firstLine(error) : null;
    } catch {
      return null;
    }
  }

  /**
   * Polls until `probe` says final ("done" or a failure text) or the follow deadline passes.
   * Each change of state is a step; an uncertain answer is reported and the polling goes on.
   */
  private async follow(
    probe: () => Promise<{ state: string; detail: string | null; final: string | null }>,
  ): Promise<void> {
    const deadline = this.now() + (this.req.followTimeoutMs ?? DEFAULT_FOLLOW_MS);
    let last = "";
    // Quick first looks (a tenant restart often answers within a second), then the poll period.
    let delay = Math.min(250, this.req.pollMs ?? DEFAULT_POLL_MS);
    for (;;) {
      const r = await probe();
      this.checkHostClosing();
      if (r.state !== last) {
        last = r.state;
        this.step(`status ${r.state}`, r.detail);
        this.journal("restart.status", { via: this.via, status: r.state });
      }
      if (r.final === "done") return;
      if (r.final !== null) throw new OpsError("Upstream", `restart ${this.workspaceId}: ${r.final}`);
      if (this.now() >= deadline) {
        throw new OpsError(
          "Timeout",
          `restart ${this.workspaceId}: not online after ${Math.round((this.req.followTimeoutMs ?? DEFAULT_FOLLOW_MS) / 1000)} s (last status ${r.state})`,
        );
      }
      await sleep(delay, undefined, { signal: this.hostClosing }).catch(() => {});
      this.checkHostClosing();
      delay = Math.min(delay * 1.5, this.req.pollMs ?? DEFAULT_POLL_MS);
    }
  }

  private checkCancelled(): void {
    if (this.cancelled.signal.aborted) throw new OpsError("Cancelled", "cancelled");
    if (this.hostClosing.aborted) throw new OpsError("Cancelled", "cancelled: the host closed");
  }

  /** While following: the host going away ends it, the request being sent already. */
  private checkHostClosing(): void {
    if (this.hostClosing.aborted) {
      throw new OpsError(
        "Cancelled",
        `restart ${this.workspaceId}: the host closed while following it; it was sent, and how it ended is not known here`,
      );
    }
  }

  /** The point of no return: the Stop (cp) or the restart request is about to be sent. */
  private commit(): void {
    if (this.committed) return;
    this.checkCancelled();
    this.committed = true;
    this.changed();
  }

  private step(step: string, detail: string | null): void {
    this.lastStep = step;
    const s: RestartStep = { step, at: new Date(this.now()).toISOString(), detail };
    this.steps.push(s);
    this.deps.store.restarts.step(this.rowId, step, this.now());
    for (const listener of this.listeners) listener(s);
    this.changed();
  }

  private journal(event: string, fields: Record<string, unknown>): void {
    this.deps.store.recordConsoleEvent(event, { workspace_id: this.workspaceId, ...fields }, new Date(this.now()));
  }

  private finish(
    outcome: RestartOutcome["outcome"],
    stopped: string | null,
    error: string | null,
    message: string | null,
    errorCode: OpsErrorCode | null = null,
  ): RestartOutcome {
    this.deps.store.restarts.finish(
      this.rowId,
      outcome === "timeout" ? "failed" : outcome === "noop" ? "done" : outcome,
      this.lastStep,
      this.now(),
      error,
    );
    this.outcome = {
      workspace_id: this.workspaceId,
      via: this.via,
      outcome,
      stopped_instance_id: stopped,
      message,
      error,
      error_code: error === null ? null : errorCode,
      steps: [...this.steps],
    };
    this.phase = outcome;
    this.closing = closingLine(this.outcome, new Date(this.now()).toISOString());
    this.changed();
    return this.outcome;
  }
}

/** The outcome as the last line of a trail; none for a noop, whose own step says it in the tenant's words. */
function closingLine(outcome: RestartOutcome, at: string): RestartStep | null {
  switch (outcome.outcome) {
    case "noop":
      return null;
    case "done":
      return { step: "done", at, detail: null };
    case "cancelled":
      return { step: "cancelled", at, detail: "nothing was sent to the tenant or the CP" };
    default:
      return { step: outcome.outcome, at, detail: outcome.error };
  }
}

/**
 * A restart's progress for a subscriber: how it stands at once (a restart that is over: its last
 * state, and nothing more), then after every change until its outcome or until `signal` aborts.
 */
export async function* restartProgress(handle: RestartHandle, signal: AbortSignal): AsyncGenerator<RestartProgress> {
  const queue: RestartProgress[] = [handle.progress()];
  let wake: (() => void) | null = null;
  const off = handle.onProgress((progress) => {
    queue.push(progress);
    wake?.();
  });
  const aborted = () => wake?.();
  signal.addEventListener("abort", aborted, { once: true });
  try {
    for (;;) {
      for (let next = queue.shift(); next; next = queue.shift()) {
        yield next;
        if (next.outcome) return;
      }
      if (signal.aborted) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    off();
    signal.removeEventListener("abort", aborted);
  }
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** Upstream text shown in a step or an error: one line, no control sequences, bounded. */
function firstLine(text: string): string {
  const line = stripControlChars(text.split("\n", 1)[0] ?? "");
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function asOpsError(error: unknown): OpsError {
  return error instanceof OpsError ? error : new OpsError("Transport", "internal error", { cause: error });
}
