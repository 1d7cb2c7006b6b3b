import { setTimeout as sleep } from "node:timers/promises";
import { Agent, type Dispatcher } from "undici";
import { stripControlChars } from "../config/redact";
import { Redactor } from "../config/redactor";
import { OpsError } from "../errors";
import { type Exchange, exchange } from "../http/exchange";
import { parseRedactedJson } from "../http/redacted-json";
import { logTail } from "./log-tail";
import { MAX_TRIES, MAX_WAIT_MS, retryAfterMs } from "./rate-limit-wait";
import { describeOp, parseErrorAnswer, type TenantOp, tenantError } from "./tenant-answer";
import { type TenantConfig, tenantSecrets } from "./tenant-config";
import {
  isRecord,
  parseTenantEvent,
  parseTenantWorkspace,
  type TenantEvent,
  type TenantWorkspace,
} from "./tenant-records";

/** A tenant lists every workspace in one answer; 10,000 rich rows fit well under this. */
export const WORKSPACE_LIST_CAP = 64 << 20;
/** GET /events is the latest 100 events; failure payloads carry up to 8 KiB of log tail each. */
const EVENTS_CAP = 16 << 20;
/** One workspace or one small status answer. */
const SMALL_BODY_CAP = 1 << 20;
/** EC2 returns at most 64 KiB of serial console; headroom for JSON escaping (as the CP client). */
const CONSOLE_BODY_CAP = 256 << 10;
/** docs/contracts.md §5: the console tail reported with a bootstrap failure is at most 8 KiB. */
export const BOOTSTRAP_LOG_TAIL_BYTES = 8 << 10;

export const DEFAULT_TENANT_TIMEOUT_MS = 30_000;
/** A black-holed TCP connect otherwise waits for the OS default (75 s on Linux). */
export const DEFAULT_TENANT_CONNECT_TIMEOUT_MS = 10_000;

export interface TenantClientOptions {
  /** Deadline of one request, connect to last body byte. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  dispatcher?: Dispatcher;
  /** Largest GET /workspaces answer read; a larger one is a Decode error. */
  listBodyCap?: number;
  /**
   * The profile's other secrets (the CP's): the tenant's answers are scrubbed of them too, since
   * an upstream may echo any secret it ever saw. ADMIN_TOKEN is always included.
   */
  secrets?: readonly string[];
  /** The wait between tries after a 429 (tests pass one that records instead of waiting). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface WorkspaceList {
  workspaces: TenantWorkspace[];
  /** Items without a usable id: skipped and counted, not fatal. */
  skipped: number;
}

/** What POST restart answered: "provisioning", or "noop" (an external workspace) with the platform's message. */
export interface RestartAnswer {
  status: string;
  runtime: string | null;
  message: string | null;
}

export interface EventList {
  events: TenantEvent[];
  skipped: number;
}

export interface BootstrapFailure {
  error: string;
  /** The console tail; cut to its last 8 KiB before it is sent. */
  log_tail: string;
}

/** One request: what it is for, its method and path, how much of the answer to read, the caller's options, a body. */
type TenantRequest = [
  op: TenantOp,
  method: "GET" | "POST",
  path: string,
  cap: number,
  opts: CallOptions,
  body?: string,
];

/**
 * The tenant platform's REST API (docs/contracts.md §3), as its workspace server serves it
 * (workspace-server/internal/router/router.go at the seed's commit), on undici. Every request
 * carries ADMIN_TOKEN, the org id and the tenant URL's Origin; errors carry a status and a short
 * reason, never the answer's body: a tenant error page may echo our headers, bearer included.
 */
export class TenantClient {
  private readonly timeoutMs: number;
  private readonly listBodyCap: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  /** Every configured secret, removed from everything the tenant sends before the core sees it. */
  readonly redactor: Redactor;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly config: TenantConfig,
    options: TenantClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TENANT_TIMEOUT_MS;
    this.listBodyCap = options.listBodyCap ?? WORKSPACE_LIST_CAP;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({ connect: { timeout: options.connectTimeoutMs ?? DEFAULT_TENANT_CONNECT_TIMEOUT_MS } });
    this.redactor = new Redactor([...tenantSecrets(config), ...(options.secrets ?? [])]);
    this.sleep = options.sleep ?? ((ms, signal) => sleep(ms, undefined, signal ? { signal } : {}));
    this.now = options.now ?? Date.now;
  }

  /** GET /workspaces: every workspace of the org; items without a usable id are counted in `skipped`. */
  async listWorkspaces(opts: CallOptions = {}): Promise<WorkspaceList> {
    const op = { name: "list workspaces" };
    const value = await this.getJson(op, "/workspaces", this.listBodyCap, opts);
    if (!Array.isArray(value)) throw new OpsError("Decode", "list workspaces: decode: expected a JSON array");
    const workspaces: TenantWorkspace[] = [];
    for (const item of value) {
      const ws = parseTenantWorkspace(item);
      if (ws) workspaces.push(ws);
    }
    return { workspaces, skipped: value.length - workspaces.length };
  }

  /**
   * GET /workspaces/:id (open: no bearer needed, the org guard still applies). The platform strips
   * last_sample_error and current_task from this answer: read those from the list. A removed
   * workspace is a Gone error (410).
   */
  async getWorkspace(workspaceId: string, opts: CallOptions = {}): Promise<TenantWorkspace> {
    const op = { name: "get workspace", workspaceId };
    const value = await this.getJson(op, `/workspaces/${encodeURIComponent(workspaceId)}`, SMALL_BODY_CAP, opts);
    const ws = parseTenantWorkspace(value);
    if (!ws) throw new OpsError("Decode", `${describeOp(op)}: decode: not a workspace object`);
    return ws;
  }

  /** GET /events: the latest 100 events; items without an id or a type are counted in `skipped`. */
  listEvents(opts: CallOptions = {}): Promise<EventList> {
    return this.events({ name: "list events" }, "/events", opts);
  }

  /** GET /events/:workspaceId: the latest 100 events of one workspace. */
  listWorkspaceEvents(workspaceId: string, opts: CallOptions = {}): Promise<EventList> {
    return this.events({ name: "list events of", workspaceId }, `/events/${encodeURIComponent(workspaceId)}`, opts);
  }

  /**
   * POST /workspaces/:id/restart. 200 {status:"provisioning"}: the platform stops the workspace's
   * instance and boots a new one with the workspace's own secrets; 200 {status:"noop"} for an
   * external workspace, whose agent is run by its operator (nothing to restart, nothing to
   * follow); 409 only while a parent workspace is paused (its reason says which); 404; 503.
   */
  async restart(workspaceId: string, opts: CallOptions = {}): Promise<RestartAnswer> {
    const op = { name: "restart", workspaceId };
    const path = `/workspaces/${encodeURIComponent(workspaceId)}/restart`;
    const value = await this.json(op, "POST", path, SMALL_BODY_CAP, opts, "{}");
    const fields = isRecord(value) ? value : {};
    const text = (v: unknown) => (typeof v === "string" ? this.safe(v, 300) : null);
    return { status: text(fields.status) ?? "", runtime: text(fields.runtime), message: text(fields.message) };
  }

  /**
   * GET /workspaces/:id/console: the platform reads it from its CP, by workspace id (no instance
   * id needed). 501 means the tenant has no CP (a NoBackend, as the CP client says it), 502 that
   * its CP failed. The platform decodes the CP's `output` into a Go string, so null is empty.
   */
  async console(workspaceId: string, opts: CallOptions = {}): Promise<string> {
    const op = { name: "console", workspaceId };
    const path = `/workspaces/${encodeURIComponent(workspaceId)}/console`;
    const value = await this.getJson(op, path, CONSOLE_BODY_CAP, opts);
    const output = isRecord(value) ? value.output : undefined;
    if (output !== undefined && output !== null && typeof output !== "string") {
      throw new OpsError("Decode", `${describeOp(op)}: decode: output is not text`);
    }
    return output ?? "";
  }

  /**
   * POST /admin/workspaces/:id/bootstrap-failed. The platform acts only while the workspace is
   * provisioning and answers {ok:true, no_change:true} otherwise (an unknown workspace too), so
   * reporting twice is harmless; `changed` says whether this report acted.
   */
  async reportBootstrapFailure(
    workspaceId: string,
    report: BootstrapFailure,
    opts: CallOptions = {},
  ): Promise<{ changed: boolean }> {
    const op = { name: "report bootstrap failure", workspaceId };
    if (report.error === "") throw new OpsError("Input", `${describeOp(op)}: the error text is empty`);
    // The platform stores truncateString(error + "\n\n" + tail, 8192) as last_sample_error, which
    // keeps the head (handlers/workspace_bootstrap.go): a full 8 KiB tail would lose its last
    // lines there, the exception among them. The tail sent leaves room for the error line.
    const room = Math.max(0, BOOTSTRAP_LOG_TAIL_BYTES - Buffer.byteLength(report.error) - 2);
    const body = JSON.stringify({ error: report.error, log_tail: logTail(report.log_tail, room) });
    const path = `/admin/workspaces/${encodeURIComponent(workspaceId)}/bootstrap-failed`;
    const value = await this.json(op, "POST", path, SMALL_BODY_CAP, opts, body);
    if (!isRecord(value) || value.ok !== true) {
      throw new OpsError("Decode", `${describeOp(op)}: decode: expected {"ok": true}`);
    }
    return { changed: value.no_change !== true };
  }

  /**
   * Headers of every tenant request; a header whose value is empty is not sent at all. Origin is
   * the tenant URL's own origin: on SaaS the edge answers /workspaces/* without it with the web
   * UI's empty 404, and the platform's CORS check accepts a request from its own origin.
   */
  headers(): Record<string, string> {
    const headers: Record<string, string> = { origin: new URL(this.config.baseUrl).origin };
    if (this.config.adminToken) headers.authorization = `Bearer ${this.config.adminToken}`;
    if (this.config.orgId) headers["x-molecule-org-id"] = this.config.orgId;
    return headers;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async events(op: TenantOp, path: string, opts: CallOptions): Promise<EventList> {
    const value = await this.getJson(op, path, EVENTS_CAP, opts);
    if (!Array.isArray(value)) throw new OpsError("Decode", `${describeOp(op)}: decode: expected a JSON array`);
    const events: TenantEvent[] = [];
    for (const item of value) {
      const event = parseTenantEvent(item);
      if (event) events.push(event);
    }
    return { events, skipped: value.length - events.length };
  }

  /**
   * A GET, tried again after a 429 as the platform's limiter asks (Retry-After), at most
   * MAX_TRIES times and MAX_WAIT_MS of waiting in all; a wait that would pass the budget is not
   * started: the 429 is reported at once with its Retry-After. Only GETs: a POST may have acted.
   */
  private async getJson(op: TenantOp, path: string, cap: number, opts: CallOptions): Promise<unknown> {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(op, "GET", path, cap, opts);
      } catch (error) {
        if (!(error instanceof RateLimited) || attempt >= MAX_TRIES) throw unwrap(error);
        const wait = retryAfterMs(error.retryAfter, attempt, this.now());
        if (waited + wait > MAX_WAIT_MS) throw unwrap(error);
        waited += wait;
        try {
          await this.sleep(wait, opts.signal);
        } catch {
          throw new OpsError("Cancelled", "cancelled");
        }
      }
    }
  }

  /** One request whose 2xx answer is JSON; every failure, a 429 included, is an OpsError. */
  private async json(...request: TenantRequest): Promise<unknown> {
    try {
      return await this.send(...request);
    } catch (error) {
      throw unwrap(error);
    }
  }

  /**
   * One request whose 2xx answer is JSON read up to `cap` bytes; the deadline covers the body too.
   * A 429 is thrown as RateLimited, for getJson's retry loop: callers other than getJson use json().
   */
  private async send(...[op, method, path, cap, opts, body]: TenantRequest): Promise<unknown> {
    const res = await exchange(this.config.baseUrl + path, {
      method,
      headers: this.headers(),
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
      dispatcher: this.dispatcher,
      peer: "tenant platform",
    });
    if (res.status < 200 || res.status >= 300) {
      const answer = parseErrorAnswer(
        res.status,
        await readErrorBody(res),
        firstHeader(res.headers["retry-after"]),
        this.redactor,
      );
      const error = tenantError(op, answer, this.config.adminToken !== "");
      throw res.status === 429 ? new RateLimited(error, firstHeader(res.headers["retry-after"])) : error;
    }
    // One byte past the cap tells "exactly at the cap" from "larger than the cap".
    const bytes = await res.read(cap + 1);
    if (bytes.length > cap) {
      throw new OpsError("Decode", `${describeOp(op)}: the answer is larger than ${formatBytes(cap)}`, {
        status: res.status,
      });
    }
    const parsed = parseRedactedJson(bytes.toString("utf8"), this.redactor);
    if (!parsed.ok) throw new OpsError("Decode", `${describeOp(op)}: decode: ${parsed.reason}`, { status: res.status });
    return parsed.value;
  }

  /** Text from our own config or the tenant made fit for a message: no secret, no control sequence, bounded. */
  private safe(text: string, max = 80): string {
    const clean = this.redactor.text(stripControlChars(text));
    return clean.length > max ? `${clean.slice(0, max)}…` : clean;
  }
}

/** A 429 on its way to the retry loop, with what the limiter said. */
class RateLimited extends Error {
  constructor(
    readonly error: OpsError,
    readonly retryAfter: string | undefined,
  ) {
    super(error.message);
  }
}

function unwrap(error: unknown): unknown {
  return error instanceof RateLimited ? error.error : error;
}

/** Error bodies are small JSON; a stalled one must not turn a clear 4xx/5xx into a timeout. */
const ERROR_BODY_CAP = 4096;
const ERROR_BODY_MS = 2000;

async function readErrorBody(res: Exchange): Promise<Buffer | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ERROR_BODY_MS);
  });
  try {
    return await Promise.race([res.read(ERROR_BODY_CAP).catch(() => null), late]);
  } finally {
    clearTimeout(timer);
    res.discard();
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n >> 20} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n >> 10} KiB`;
  return `${n} bytes`;
}
