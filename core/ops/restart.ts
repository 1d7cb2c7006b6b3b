import { setTimeout as sleep } from "node:timers/promises";
import { stripControlChars } from "../config/redact";
import type { CpClient } from "../cp/cp-client";
import { OpsError } from "../errors";
import type { Store } from "../store/store";
import type { TenantClient } from "../tenant/tenant-client";

export type RestartVia = "cp" | "tenant";
export const RESTART_VIAS: readonly RestartVia[] = ["cp", "tenant"];

/** One step of a restart as people and scripts see it (JSON-ready). */
export interface RestartStep {
  step: string;
  at: string;
  detail: string | null;
}

export interface RestartOutcome {
  workspace_id: string;
  via: RestartVia;
  outcome: "done" | "failed" | "cancelled" | "timeout";
  /** The new instance (via cp), when one was started. */
  instance_id: string | null;
  error: string | null;
  steps: RestartStep[];
}

export interface RestartRequest {
  workspaceId: string;
  via: RestartVia;
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
  /** true when cancelled; false once Stop (cp) or the restart request (tenant) was sent. */
  cancel(): boolean;
  /** Steps from now on, for a joiner. */
  onStep(listener: (step: RestartStep) => void): () => void;
}

export interface RestartDeps {
  store: Store;
  cp: CpClient | null;
  tenant: TenantClient | null;
  /** Sent with a CP Start: where the new instance finds its platform. */
  platformUrl: string;
  now?: () => number;
}

/**
 * Safe restarts (SPEC §6). One restart a workspace at a time: asking again with the same method
 * joins the running one, another method is a conflict, and a restart held by another process (the
 * restarts table) is a conflict naming it. Every step goes to the timeline in provlog format with
 * source "console", so what staff did can be exported next to what the servers logged.
 */
export class RestartCoordinator {
  private readonly running = new Map<string, RestartHandle>();
  private readonly now: () => number;

  constructor(private readonly deps: RestartDeps) {
    this.now = deps.now ?? Date.now;
  }

  restart(req: RestartRequest): RestartHandle {
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
    const run = new RestartRun(this.deps, req, claim.id, this.now);
    this.running.set(req.workspaceId, run);
    const release = () => this.running.delete(req.workspaceId);
    run.done.then(release, release);
    return run;
  }

  /** The restart in flight for a workspace in this process, if any. */
  get(workspaceId: string): RestartHandle | undefined {
    return this.running.get(workspaceId);
  }

  /** Refuses before anything is claimed or sent: the method needs its backend, a CP Start its profile. */
  private checkReady(req: RestartRequest): void {
    if (req.via === "cp") {
      if (!this.deps.cp) throw new OpsError("NoBackend", "restart via cp: no control plane is configured");
      const profile = this.deps.store.workspaceProfile(req.workspaceId);
      if (!profile?.runtime || profile.tier === null) {
        throw new OpsError(
          "Input",
          `restart via cp: the runtime and tier of ${req.workspaceId} are not in the cache; run sync first`,
        );
      }
    } else if (!this.deps.tenant) {
      throw new OpsError("NoBackend", "restart via tenant: no tenant platform is configured");
    }
  }
}

const DEFAULT_FOLLOW_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 2000;

class RestartRun implements RestartHandle {
  readonly workspaceId: string;
  readonly via: RestartVia;
  readonly done: Promise<RestartOutcome>;
  readonly steps: RestartStep[] = [];
  private readonly listeners = new Set<(step: RestartStep) => void>();
  private readonly cancelled = new AbortController();
  /** Set once Stop (cp) or the restart request (tenant) is about to be sent: no cancel after it. */
  private committed = false;
  private lastStep = "requested";

  constructor(
    private readonly deps: RestartDeps,
    private readonly req: RestartRequest,
    private readonly rowId: number,
    private readonly now: () => number,
  ) {
    this.workspaceId = req.workspaceId;
    this.via = req.via;
    if (req.onStep) this.listeners.add(req.onStep);
    // Started on the next tick, so the caller can attach listeners and cancel before anything is sent.
    this.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run());
  }

  cancel(): boolean {
    if (this.committed) return false;
    this.cancelled.abort();
    return true;
  }

  onStep(listener: (step: RestartStep) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async run(): Promise<RestartOutcome> {
    let instanceId: string | null = null;
    try {
      instanceId = this.req.via === "cp" ? await this.viaCp() : await this.viaTenant();
      this.journal("restart.done", { via: this.via, instance_id: instanceId });
      return this.finish("done", instanceId, null);
    } catch (error) {
      const e = asOpsError(error);
      if (e.code === "Cancelled" && !this.committed) {
        this.journal("restart.cancelled", { via: this.via, step: this.lastStep });
        return this.finish("cancelled", null, "cancelled before anything was sent");
      }
      const outcome = e.code === "Timeout" ? "timeout" : "failed";
      this.journal("restart.failed", { via: this.via, step: this.lastStep, error: e.message });
      return this.finish(outcome, instanceId, e.message);
    }
  }

  /** restart.pre_stop → Stop (the instance on file) → Start → follow IsRunning until running. */
  private async viaCp(): Promise<string> {
    const cp = this.deps.cp as CpClient;
    const profile = this.deps.store.workspaceProfile(this.workspaceId);
    const old = this.deps.store.resolveInstanceId(this.workspaceId);
    this.step("pre_stop", old ? `instance ${old}` : "no instance on file");
    this.checkCancelled();
    this.committed = true;
    this.journal("restart.pre_stop", { backend: "cp" });
    this.step("stop", old ? `stopping ${old}` : "nothing to stop");
    // A failed Stop ends here: CpClient leaves the mapping as it was and its error names the
    // workspace and the status. Starting anyway would leave the old instance running unbound.
    await cp.stop(this.workspaceId);
    this.step("start", `runtime ${profile?.runtime}, tier ${profile?.tier}`);
    const started = await cp.start({
      workspaceId: this.workspaceId,
      runtime: profile?.runtime ?? "",
      tier: profile?.tier ?? 0,
      platformUrl: this.deps.platformUrl,
    });
    this.step("started", `instance ${started.instanceId} (${started.state || "state unknown"})`);
    await this.follow(async () => {
      const r = await cp.isRunning(this.workspaceId);
      if (r.error) return { state: "uncertain", detail: r.error.message, final: null };
      if (r.running) return { state: "running", detail: null, final: "done" };
      if (r.state === "stopping" || r.state === "terminated" || r.state === "stopped") {
        return { state: r.state, detail: null, final: `instance ${started.instanceId} is ${r.state}` };
      }
      return { state: r.state ?? "unknown", detail: null, final: null };
    });
    return started.instanceId;
  }

  /** POST restart (the platform stops and boots the workspace) → follow its status until online. */
  private async viaTenant(): Promise<string | null> {
    const tenant = this.deps.tenant as TenantClient;
    this.step("request", "POST /workspaces/:id/restart");
    this.checkCancelled();
    this.committed = true;
    this.journal("restart.requested", { via: "tenant" });
    const answer = await tenant.restart(this.workspaceId);
    this.step("accepted", `status ${answer.status || "unknown"}`);
    await this.follow(async () => {
      try {
        const ws = await tenant.getWorkspace(this.workspaceId);
        const status = ws.status ?? "unknown";
        if (status === "online") return { state: status, detail: null, final: "done" };
        if (status === "failed") {
          const error = typeof ws.fields.last_sample_error === "string" ? ws.fields.last_sample_error : "";
          return { state: status, detail: null, final: `the workspace failed${error ? `: ${firstLine(error)}` : ""}` };
        }
        return { state: status, detail: null, final: null };
      } catch (error) {
        return { state: "uncertain", detail: asOpsError(error).message, final: null };
      }
    });
    return this.deps.store.resolveInstanceId(this.workspaceId);
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
          `restart ${this.workspaceId}: not ${this.via === "cp" ? "running" : "online"} after ${Math.round((this.req.followTimeoutMs ?? DEFAULT_FOLLOW_MS) / 1000)} s (last status ${r.state})`,
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 1.5, this.req.pollMs ?? DEFAULT_POLL_MS);
    }
  }

  private checkCancelled(): void {
    if (this.cancelled.signal.aborted) throw new OpsError("Cancelled", "cancelled");
  }

  private step(step: string, detail: string | null): void {
    this.lastStep = step;
    const s: RestartStep = { step, at: new Date(this.now()).toISOString(), detail };
    this.steps.push(s);
    this.deps.store.restarts.step(this.rowId, step, this.now());
    for (const listener of this.listeners) listener(s);
  }

  private journal(event: string, fields: Record<string, unknown>): void {
    this.deps.store.recordConsoleEvent(event, { workspace_id: this.workspaceId, ...fields }, new Date(this.now()));
  }

  private finish(outcome: RestartOutcome["outcome"], instanceId: string | null, error: string | null): RestartOutcome {
    this.deps.store.restarts.finish(
      this.rowId,
      outcome === "timeout" ? "failed" : outcome,
      this.lastStep,
      this.now(),
      error,
    );
    return {
      workspace_id: this.workspaceId,
      via: this.via,
      outcome,
      instance_id: instanceId,
      error,
      steps: [...this.steps],
    };
  }
}

/** Upstream text shown in a step or an error: one line, no control sequences, bounded. */
function firstLine(text: string): string {
  const line = stripControlChars(text.split("\n", 1)[0] ?? "");
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function asOpsError(error: unknown): OpsError {
  return error instanceof OpsError ? error : new OpsError("Transport", "internal error", { cause: error });
}
