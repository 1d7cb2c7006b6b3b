import { Agent, type Dispatcher } from "undici";
import { redactSecrets, stripControlChars } from "../config/redact";
import { OpsError } from "../errors";
import { exchange } from "../http/exchange";
import { parseFirstJsonValue } from "../http/first-json-value";
import { logTail } from "./log-tail";
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
/** SPEC §5: the console tail reported with a bootstrap failure is at most 8 KiB. */
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
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface WorkspaceList {
  workspaces: TenantWorkspace[];
  /** Items without a usable id: skipped and counted, not fatal. */
  skipped: number;
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

/** Which request failed, for messages: the operation and, for per-workspace routes, the workspace. */
interface Op {
  name: string;
  workspaceId?: string;
}

/**
 * The tenant platform's REST API (SPEC §3) on undici. Every request carries the tenant's
 * ADMIN_TOKEN and the org id; errors carry a status and a short reason, never the answer's
 * body: a tenant error page may echo the request's headers, bearer included (SPEC §5).
 */
export class TenantClient {
  private readonly timeoutMs: number;
  private readonly listBodyCap: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly secrets: string[];

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
    this.secrets = tenantSecrets(config);
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

  async getWorkspace(workspaceId: string, opts: CallOptions = {}): Promise<TenantWorkspace> {
    const op = { name: "get workspace", workspaceId };
    const value = await this.getJson(op, `/workspaces/${encodeURIComponent(workspaceId)}`, SMALL_BODY_CAP, opts);
    const ws = parseTenantWorkspace(value);
    if (!ws) throw new OpsError("Decode", `${describe(op)}: decode: not a workspace object`);
    return ws;
  }

  /** GET /events: the latest 100 events; items without an id or a type are counted in `skipped`. */
  async listEvents(opts: CallOptions = {}): Promise<EventList> {
    const op = { name: "list events" };
    const value = await this.getJson(op, "/events", EVENTS_CAP, opts);
    if (!Array.isArray(value)) throw new OpsError("Decode", "list events: decode: expected a JSON array");
    const events: TenantEvent[] = [];
    for (const item of value) {
      const event = parseTenantEvent(item);
      if (event) events.push(event);
    }
    return { events, skipped: value.length - events.length };
  }

  /** POST /workspaces/:id/restart → 200 {status:"provisioning"}; 404, 409 (already restarting), 503. */
  async restart(workspaceId: string, opts: CallOptions = {}): Promise<{ status: string }> {
    const op = { name: "restart", workspaceId };
    const path = `/workspaces/${encodeURIComponent(workspaceId)}/restart`;
    const value = await this.json(op, "POST", path, SMALL_BODY_CAP, opts);
    return { status: isRecord(value) && typeof value.status === "string" ? value.status : "" };
  }

  /**
   * GET /workspaces/:id/console: the platform reads it from its CP. 501 means the tenant has no
   * CP (a NoBackend, as the CP client says it), 502 that its CP failed.
   */
  async console(workspaceId: string, opts: CallOptions = {}): Promise<string> {
    const op = { name: "console", workspaceId };
    const path = `/workspaces/${encodeURIComponent(workspaceId)}/console`;
    const value = await this.json(op, "GET", path, CONSOLE_BODY_CAP, opts);
    const output = isRecord(value) ? value.output : undefined;
    if (output !== undefined && output !== null && typeof output !== "string") {
      throw new OpsError("Decode", `${describe(op)}: decode: output is not text`);
    }
    return output ?? "";
  }

  /**
   * POST /admin/workspaces/:id/bootstrap-failed. The platform acts only while the workspace is
   * provisioning, so reporting twice is harmless; `changed` says whether this report acted.
   */
  async reportBootstrapFailure(
    workspaceId: string,
    report: BootstrapFailure,
    opts: CallOptions = {},
  ): Promise<{ status: string; changed: boolean | null }> {
    const op = { name: "report bootstrap failure", workspaceId };
    if (report.error === "") throw new OpsError("Input", `${describe(op)}: the error text is empty`);
    const body = JSON.stringify({
      error: report.error,
      log_tail: logTail(report.log_tail, BOOTSTRAP_LOG_TAIL_BYTES),
    });
    const path = `/admin/workspaces/${encodeURIComponent(workspaceId)}/bootstrap-failed`;
    const value = await this.json(op, "POST", path, SMALL_BODY_CAP, opts, body);
    const fields = isRecord(value) ? value : {};
    return {
      status: typeof fields.status === "string" ? fields.status : "",
      changed: typeof fields.changed === "boolean" ? fields.changed : null,
    };
  }

  /** Headers of every tenant request; a header whose value is empty is not sent at all (SPEC §3). */
  headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.config.adminToken) headers.authorization = `Bearer ${this.config.adminToken}`;
    if (this.config.orgId) headers["x-molecule-org-id"] = this.config.orgId;
    return headers;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private getJson(op: Op, path: string, cap: number, opts: CallOptions): Promise<unknown> {
    return this.json(op, "GET", path, cap, opts);
  }

  /** One request whose 2xx answer is JSON read up to `cap` bytes; the deadline covers the body too. */
  private async json(
    op: Op,
    method: "GET" | "POST",
    path: string,
    cap: number,
    opts: CallOptions,
    body?: string,
  ): Promise<unknown> {
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
      res.discard();
      throw this.statusError(op, res.status);
    }
    // One byte past the cap tells "exactly at the cap" from "larger than the cap".
    const bytes = await res.read(cap + 1);
    if (bytes.length > cap) {
      throw new OpsError("Decode", `${describe(op)}: the answer is larger than ${formatBytes(cap)}`, {
        status: res.status,
      });
    }
    const parsed = parseFirstJsonValue(bytes.toString("utf8"));
    if (!parsed.ok) throw new OpsError("Decode", `${describe(op)}: decode: ${parsed.reason}`, { status: res.status });
    return parsed.value;
  }

  /** A status and a short reason; the body is never read into it (it may echo our headers). */
  private statusError(op: Op, status: number): OpsError {
    const what = describe(op);
    const s = { status };
    switch (status) {
      case 401:
        // Never the token, nor its first characters (SPEC §5): whether it was set is enough.
        return new OpsError(
          "Upstream",
          this.config.adminToken
            ? `${what}: the tenant platform refused ADMIN_TOKEN (401): check that it is this tenant's admin token`
            : `${what}: the tenant platform requires ADMIN_TOKEN (401), which is not set`,
          s,
        );
      case 404:
        // The platform does not confirm that another org's workspaces exist: it answers 404.
        return new OpsError(
          "NotFound",
          op.workspaceId === undefined
            ? `${what}: the tenant platform answered 404, as it does for another org: check MOLECULE_ORG_ID (${this.safe(this.config.orgId)})`
            : `${what}: not found (404; the platform also answers 404 for another org: check MOLECULE_ORG_ID)`,
          s,
        );
      case 409:
        return new OpsError(
          "Conflict",
          op.name === "restart" ? `${what}: already restarting (409)` : `${what}: conflict (409)`,
          s,
        );
      case 501:
        if (op.name === "console")
          return new OpsError("NoBackend", `${what}: this tenant has no control plane (501)`, s);
        break;
      case 502:
        if (op.name === "console")
          return new OpsError("Upstream", `${what}: the tenant's control plane failed (502)`, s);
        break;
      case 503:
        return new OpsError("Upstream", `${what}: the tenant platform is unavailable (503)`, s);
    }
    return new OpsError("Upstream", `${what}: unexpected ${status}`, s);
  }

  /** Text from our own config made fit for a message: no secret, no control sequence, bounded. */
  private safe(text: string): string {
    const clean = redactSecrets(stripControlChars(text), this.secrets);
    return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
  }
}

function describe(op: Op): string {
  if (op.workspaceId === undefined) return op.name;
  const id = stripControlChars(op.workspaceId);
  return `${op.name} ${id.length > 80 ? `${id.slice(0, 80)}…` : id}`;
}

function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n >> 20} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n >> 10} KiB`;
  return `${n} bytes`;
}
