import { Agent, type Dispatcher } from "undici";
import { type CpConfig, cpSecrets } from "../config/cp-config";
import { stripControlChars } from "../config/redact";
import { Redactor } from "../config/redactor";
import { OpsError, type OpsErrorCode } from "../errors";
import { exchange } from "../http/exchange";
import { parseRedactedJson } from "../http/redacted-json";
import type { CpLedger } from "./cp-ledger";
import { isEc2InstanceId } from "./ec2-instance-id";

/** Start and status answers are small JSON; an unbounded read could be turned into a log-flood or OOM. */
const SMALL_BODY_CAP = 64 << 10;
/** EC2 returns at most 64 KiB of serial console; headroom for the CP's JSON wrapping. */
const CONSOLE_BODY_CAP = 256 << 10;
/** Enough of a Stop error body to triage, never a multi-MB log line (seed: 512-byte LimitReader). */
const STOP_EXCERPT_CAP = 512;
/** Read past the excerpt so a secret that straddles its end is redacted whole before the cut. */
const STOP_EXCERPT_READ = 4096;
/** Upstream `error` fields shown to people are cut to this many characters. */
const ERROR_FIELD_MAX = 512;

export const DEFAULT_CP_TIMEOUT_MS = 120_000;
/** A black-holed TCP connect otherwise waits for the OS default (75 s on Linux). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface CpClientOptions {
  ledger: CpLedger;
  /** Deadline of one CP request, connect to last body byte. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  dispatcher?: Dispatcher;
  now?: () => Date;
  /**
   * The profile's other secrets (the tenant's ADMIN_TOKEN is one already): everything the CP sends
   * is scrubbed of them all, since an upstream may echo any secret it ever saw (docs/contracts.md §5).
   */
  secrets?: readonly string[];
}

export interface StartRequest {
  workspaceId: string;
  runtime: string;
  tier: number;
  platformUrl: string;
  env?: Record<string, string>;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface StatusOptions extends CallOptions {
  /**
   * The workspace's instance as the caller already read it from the store (a sweep reads every
   * open binding in one query instead of one lookup per request); null: none on file.
   */
  instanceId?: string | null;
}

/** docs/contracts.md §2 IsRunning, as a value: `running` is true whenever the answer is uncertain. */
export interface RunningStatus {
  workspaceId: string;
  instanceId: string | null;
  running: boolean;
  /** The CP's answer when it gave one (running, pending, stopped, …); null without an answer. */
  state: string | null;
  error: OpsError | null;
}

export interface StartResult {
  instanceId: string;
  state: string;
  privateIp: string;
}

export interface StopResult {
  /** The instance the DELETE was sent for; null when none was on file and nothing was sent. */
  instanceId: string | null;
}

type RouteFamily = "provision" | "admin";

/**
 * Port of the platform's CPProvisioner (docs/contracts.md §2). Each rule here came from an incident; the
 * comments at the methods say which.
 */
export class CpClient {
  private readonly config: CpConfig | null;
  private readonly ledger: CpLedger;
  /** The deadline of every request, body reads included (docs/contracts.md §2: 120 s unless configured). */
  readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly now: () => Date;
  private readonly redactor: Redactor;

  /** `config` null builds a client without a backend: every call that needs the CP answers NoBackend. */
  constructor(config: CpConfig | null, options: CpClientOptions) {
    this.config = config;
    this.ledger = options.ledger;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CP_TIMEOUT_MS;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ?? new Agent({ connect: { timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS } });
    this.now = options.now ?? (() => new Date());
    this.redactor = new Redactor([...cpSecrets(config), ...(options.secrets ?? [])]);
  }

  /**
   * POST /cp/workspaces/provision. Only 201 is success. On failure the message carries the
   * CP's structured `error` field or the body's size, never the body itself: a CP that echoed
   * the Authorization header would otherwise put the bearer in our logs (log-scrub audit).
   */
  async start(req: StartRequest, opts: CallOptions = {}): Promise<StartResult> {
    const config = this.requireBackend();
    const payload = {
      org_id: config.orgId,
      workspace_id: req.workspaceId,
      runtime: req.runtime,
      tier: req.tier,
      platform_url: req.platformUrl,
      env: req.env ?? {},
    };
    const res = await this.send("provision", "POST", "/cp/workspaces/provision", opts, JSON.stringify(payload));
    const body = await res.read(SMALL_BODY_CAP);
    const parsed = parseRedactedJson(body.toString("utf8"), this.redactor);
    const fields = parsed.ok && isRecord(parsed.value) ? parsed.value : {};
    if (res.status !== 201) {
      const structured = typeof fields.error === "string" && fields.error !== "" ? this.safeText(fields.error) : "";
      const msg = structured || `<unstructured body, ${body.length} bytes>`;
      throw new OpsError(codeForStatus(res.status), `provision failed (${res.status}): ${msg}`, {
        status: res.status,
      });
    }
    const given = typeof fields.instance_id === "string" ? fields.instance_id : "";
    // A 201 is a machine the CP created, whatever id it answered: dropping it would leave a
    // running EC2 no record points at (docs/contracts.md §2). An id that is not EC2-shaped is recorded as it is
    // (an empty one under a placeholder), so the doctor shows the malformed binding and Stop
    // refuses to send it (a workspace UUID once became an "instance id" and every Stop failed).
    const malformed = !isEc2InstanceId(given);
    const instanceId = given === "" ? EMPTY_INSTANCE_ID : given;
    const state = typeof fields.state === "string" ? fields.state : "";
    const at = this.now();
    try {
      this.ledger.recordStarted({
        workspaceId: req.workspaceId,
        instanceId,
        state,
        tier: req.tier,
        runtime: req.runtime,
        at,
        ...(malformed ? { malformed: true } : {}),
      });
    } catch (cause) {
      throw new OpsError(
        "Store",
        `provision: instance ${instanceId} was started but could not be recorded locally (${messageOf(cause)}); record it before stopping anything`,
        { cause },
      );
    }
    if (malformed) {
      const shown = stripControlChars(instanceId).slice(0, 64);
      throw new OpsError(
        "Decode",
        `provision: the CP answered 201 with instance_id "${shown}", which is not an EC2 id: a machine was created and recorded as a malformed binding (molecule-ops doctor shows it); find it in the CP before provisioning again`,
        { status: 201 },
      );
    }
    return { instanceId, state, privateIp: typeof fields.private_ip === "string" ? fields.private_ip : "" };
  }

  /**
   * DELETE /cp/workspaces/{id}?instance_id=i-…, with the instance resolved from the store.
   * Any 2xx is success; anything else is an error naming the workspace, the status and a short
   * excerpt. A 5xx once read as success left 13 zombie EC2s with no row pointing at them.
   */
  async stop(workspaceId: string, opts: StatusOptions = {}): Promise<StopResult> {
    const instanceId = this.resolve(workspaceId, "stop", opts.instanceId);
    // Nothing provisioned, or already stopped: idempotent, and no HTTP call is needed even
    // without a backend.
    if (!instanceId) return { instanceId: null };
    this.requireBackend();
    const path = `/cp/workspaces/${encodeURIComponent(workspaceId)}?${new URLSearchParams({ instance_id: instanceId })}`;
    let res: Awaited<ReturnType<CpClient["send"]>>;
    try {
      res = await this.send("provision", "DELETE", path, opts);
    } catch (error) {
      throw this.stopFailed(workspaceId, instanceId, null, asOpsError(error));
    }
    if (res.status < 200 || res.status >= 300) {
      // Redact first, cut after: the excerpt is cut from text that no longer holds a secret.
      let text = "";
      try {
        text = (await res.read(STOP_EXCERPT_READ)).toString("utf8");
      } catch {
        // No excerpt then; the status says enough.
      }
      const clean = this.redactor.text(stripControlChars(text)).trim();
      const excerpt = clean.length > STOP_EXCERPT_CAP ? `${clean.slice(0, STOP_EXCERPT_CAP)}…` : clean;
      const error = new OpsError(
        codeForStatus(res.status),
        `stop ${workspaceId}: unexpected ${res.status}${excerpt ? `: ${excerpt}` : ""}`,
        { status: res.status },
      );
      throw this.stopFailed(workspaceId, instanceId, res.status, error);
    }
    // Any 2xx is the CP accepting the terminate: its body is not read, so a 2xx whose body
    // stalls or resets is not turned into a failure of a Stop that happened (docs/contracts.md §2).
    res.discard();
    try {
      this.ledger.recordStopped({ workspaceId, instanceId, at: this.now() });
    } catch (cause) {
      throw new OpsError(
        "Store",
        `stop ${workspaceId}: instance ${instanceId} was stopped but the cache could not record it (${messageOf(cause)})`,
        { cause },
      );
    }
    return { instanceId };
  }

  /**
   * GET /cp/workspaces/{id}/status?instance_id=i-…. Never throws. Any doubt (transport,
   * non-2xx, undecodable body, store failure) answers running=true with the error: "alive but
   * uncertain". Answering false on a CP blip sent every workspace of every tenant into a
   * restart storm. Only a 2xx with a state other than "running" is a definitive "not running".
   */
  async isRunning(workspaceId: string, opts: StatusOptions = {}): Promise<RunningStatus> {
    let instanceId: string | null;
    try {
      instanceId = this.resolve(workspaceId, "status", opts.instanceId);
    } catch (error) {
      return { workspaceId, instanceId: null, running: true, state: null, error: asOpsError(error) };
    }
    // No instance on file: cleanly not running, so a restart can provision afresh.
    if (!instanceId) return { workspaceId, instanceId: null, running: false, state: null, error: null };
    if (!this.config) {
      return { workspaceId, instanceId, running: false, state: null, error: noBackend() };
    }
    try {
      const path = `/cp/workspaces/${encodeURIComponent(workspaceId)}/status?${new URLSearchParams({ instance_id: instanceId })}`;
      const res = await this.send("provision", "GET", path, opts);
      if (res.status < 200 || res.status >= 300) {
        // The body is not read into the error: CP 5xx bodies may echo headers, bearer included.
        res.discard();
        throw new OpsError(codeForStatus(res.status), `status: unexpected ${res.status}`, {
          status: res.status,
        });
      }
      const parsed = parseRedactedJson((await res.read(SMALL_BODY_CAP)).toString("utf8"), this.redactor);
      if (!parsed.ok) throw new OpsError("Decode", `status: decode: ${parsed.reason}`);
      const state = isRecord(parsed.value) ? parsed.value.state : undefined;
      // A 2xx without a state is a broken CP, not a stopped instance: an empty state once made
      // "CP broken" indistinguishable from "workspace stopped".
      if (typeof state !== "string" || state === "") throw new OpsError("Decode", "status: decode: no state in answer");
      return { workspaceId, instanceId, running: state === "running", state, error: null };
    } catch (error) {
      return { workspaceId, instanceId, running: true, state: null, error: asOpsError(error) };
    }
  }

  /**
   * GET /cp/admin/workspaces/{id}/console on the admin headers: the CP holds the AWS
   * credentials, the console does not. Non-2xx carries no body; the JSON read is capped.
   */
  async console(workspaceId: string, opts: CallOptions = {}): Promise<string> {
    this.requireBackend();
    const res = await this.send(
      "admin",
      "GET",
      `/cp/admin/workspaces/${encodeURIComponent(workspaceId)}/console`,
      opts,
    );
    if (res.status < 200 || res.status >= 300) {
      res.discard();
      throw new OpsError(codeForStatus(res.status), `console: unexpected ${res.status}`, {
        status: res.status,
      });
    }
    const parsed = parseRedactedJson((await res.read(CONSOLE_BODY_CAP)).toString("utf8"), this.redactor);
    if (!parsed.ok) {
      throw new OpsError(
        "Decode",
        `console: decode: ${parsed.reason} (answers are read up to ${CONSOLE_BODY_CAP >> 10} KiB)`,
      );
    }
    const output = isRecord(parsed.value) ? parsed.value.output : undefined;
    if (output !== undefined && typeof output !== "string")
      throw new OpsError("Decode", "console: decode: output is not text");
    return output ?? "";
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Headers per route family; a header whose value is empty is not sent at all. */
  headersFor(family: RouteFamily): Record<string, string> {
    const config = this.requireBackend();
    const headers: Record<string, string> = {};
    // /cp/admin/* is gated by CP_ADMIN_API_TOKEN, a different secret than the provision
    // routes, so a leaked provision secret cannot read other tenants' consoles.
    const bearer = family === "admin" ? config.adminApiToken : config.provisionSecret;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (config.adminToken) headers["x-molecule-admin-token"] = config.adminToken;
    return headers;
  }

  private send(family: RouteFamily, method: "GET" | "POST" | "DELETE", path: string, opts: CallOptions, body?: string) {
    const config = this.requireBackend();
    return exchange(config.baseUrl + path, {
      method,
      headers: this.headersFor(family),
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
      dispatcher: this.dispatcher,
      peer: "control plane",
    });
  }

  /**
   * The instance to act on: one the caller gives (a sweep that read every binding at once, the
   * doctor stopping an orphan it knows from the history), else the store's open binding. Either
   * way it is held to the same EC2-id rule.
   */
  private resolve(workspaceId: string, op: string, given?: string | null): string | null {
    if (given !== undefined) return checkedInstanceId(given || null, workspaceId, op);
    let instanceId: string | null;
    try {
      instanceId = this.ledger.resolveInstanceId(workspaceId) || null;
    } catch (cause) {
      return rethrowAsStore(cause, `${op}: resolve instance_id`);
    }
    return checkedInstanceId(instanceId, workspaceId, op);
  }

  private requireBackend(): CpConfig {
    if (!this.config) throw noBackend();
    return this.config;
  }

  /** Upstream text made fit for a terminal, a log or the UI: no secret, no control sequence, bounded. */
  private safeText(text: string): string {
    const clean = this.redactor.text(stripControlChars(text));
    return clean.length > ERROR_FIELD_MAX ? `${clean.slice(0, ERROR_FIELD_MAX)}…` : clean;
  }

  /**
   * A Stop that did not happen, written to the timeline as provision.ec2_stop_failed so the doctor
   * finds the instance that may still run (the 13 zombie EC2s were Stops that failed silently).
   * The error returned is the one to throw; a store that cannot record is said in it too.
   */
  private stopFailed(workspaceId: string, instanceId: string, status: number | null, error: OpsError): OpsError {
    if (error.code === "Cancelled") return error;
    try {
      this.ledger.recordStopFailed({ workspaceId, instanceId, status, error: error.message, at: this.now() });
      return error;
    } catch (cause) {
      return new OpsError(
        error.code,
        `${error.message} (and the failed Stop could not be recorded in the cache: ${messageOf(cause)})`,
        { cause: error, ...(error.status === undefined ? {} : { status: error.status }) },
      );
    }
  }
}

/**
 * A binding that is not an EC2 id (a workspace UUID, say) is never sent: EC2 rejects it as
 * Malformed, the terminate fails, and the next provision collides with the leftover security
 * group (seed, 2026-04-22).
 */
function checkedInstanceId(instanceId: string | null, workspaceId: string, op: string): string | null {
  if (instanceId && !isEc2InstanceId(instanceId)) {
    throw new OpsError(
      "Input",
      `${op} ${workspaceId}: the instance on file is not an EC2 id (${stripControlChars(instanceId).slice(0, 40)}); re-sync the binding first`,
    );
  }
  return instanceId;
}

/** What an empty instance_id in a 201 is recorded as: visibly not an EC2 id. */
export const EMPTY_INSTANCE_ID = "(empty instance_id)";

function noBackend(): OpsError {
  return new OpsError("NoBackend", "no control plane is configured for this profile");
}

function codeForStatus(status: number): OpsErrorCode {
  if (status === 404) return "NotFound";
  if (status === 409) return "Conflict";
  return "Upstream";
}

function rethrowAsStore(cause: unknown, what: string): never {
  if (cause instanceof OpsError && cause.code === "Store")
    throw new OpsError("Store", `${what}: ${cause.message}`, { cause });
  throw new OpsError("Store", `${what}: ${messageOf(cause)}`, { cause });
}

function asOpsError(error: unknown): OpsError {
  return error instanceof OpsError ? error : new OpsError("Transport", messageOf(error), { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
