import type { ErrorCode, OpsErrorCode } from "../errors";
import type { RequestName, SubscriptionName } from "./schemas";

/**
 * What crosses from a host to the renderer: plain JSON, times as ISO 8601 UTC strings, never a
 * secret, a token or an upstream body (DESIGN: data flows one way). These types are the API's
 * own, defined here once: the renderer sees them and nothing of core/ops or below, and core/ops
 * builds its reports, changes and restart progress as these types (it imports them, types only).
 */

/** Any code an API answer or a page's error may carry (the list is core/errors.ts's). */
export type { ErrorCode };

/** Where a shown status came from (core/ops/shown-status.ts). */
export type StatusSource = "sync" | "event" | "cp" | "console";

/** A workspace's shown status changed (JSON-ready: what `watch --json` prints, one a line). */
export interface StatusChange {
  kind: "status";
  workspace_id: string;
  name: string | null;
  status: string;
  /** null the first time the engine sees the workspace. */
  previous: string | null;
  source: StatusSource;
  as_of: string;
  since: string | null;
  detail: string | null;
}

/** The state of the tenant's /ws feed. */
export type FeedState = "connecting" | "open" | "waiting" | "closed";

/** The live engine's view of its upstreams, for the stale/offline banner. */
export interface ConnectionChange {
  kind: "connection";
  tenant: "ok" | "unreachable";
  feed: FeedState;
  /** ISO: the last sync that committed. */
  last_sync_at: string | null;
  /** Safe message of the last failure, or null. */
  error: string | null;
}

/** What the `live` subscription pushes. */
export type LiveChange = StatusChange | ConnectionChange;

/** Which backend a restart or a doctor's action goes through. */
export type RestartVia = "cp" | "tenant";

/** One step of a restart as people and scripts see it. */
export interface RestartStep {
  step: string;
  at: string;
  detail: string | null;
}

export interface RestartOutcome {
  workspace_id: string;
  via: RestartVia;
  /** noop: the tenant had nothing to restart (an external workspace, run by its operator). */
  outcome: "done" | "noop" | "failed" | "cancelled" | "timeout";
  /** The instance Stopped through the CP (via cp); null via tenant. */
  stopped_instance_id: string | null;
  /** The tenant's own words for a noop. */
  message: string | null;
  error: string | null;
  /**
   * The code of `error` (null without one), so a caller can tell a configuration error (the org
   * guard's empty 404: check MOLECULE_ORG_ID and MOLECULE_TENANT_URL) from an upstream failure.
   */
  error_code?: OpsErrorCode | null;
  steps: RestartStep[];
}

/** waiting: in its grace period, nothing sent; running; then its outcome. */
export type RestartPhase = "waiting" | "running" | RestartOutcome["outcome"];

/**
 * A restart as it stands: what `restart.progress` pushes after every change, and what a
 * subscriber that comes late (the restart may be over) gets at once.
 */
export interface RestartProgress {
  workspaceId: string;
  via: RestartVia;
  phase: RestartPhase;
  /** Whether restart.cancel can still stop it: nothing sent yet, and not over. */
  cancellable: boolean;
  /** While waiting out its grace period: when the first request goes out. */
  sendsAt: string | null;
  startedAt: string;
  /** Every step so far; once it is over, its outcome as the last line. */
  trail: RestartStep[];
  /** The step it had reached: where it failed, once failed. */
  step: string;
  outcome: RestartOutcome | null;
}

export type FindingKind = "orphan_instance" | "malformed_binding" | "stuck_provisioning" | "failed_stop" | "uncertain";
export type Severity = "critical" | "warning";
export type ActionKind = "stop_instance" | "close_binding" | "report_bootstrap_failure" | "restart";

export interface Evidence {
  /** ISO time the evidence is from; null when the source gives none. */
  at: string | null;
  source: "cache" | "provlog" | "tenant" | "cp" | "console" | "timeline";
  text: string;
}

/** One problem the doctor found, with what shows it and what a person may do about it. */
export interface Finding {
  /** Stable across runs for the same problem: `doctor --act ID` names it. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  workspace_id: string;
  workspace_name: string | null;
  instance_id: string | null;
  summary: string;
  evidence: Evidence[];
  action: { kind: ActionKind; label: string } | null;
}

export interface DoctorReport {
  findings: Finding[];
  workspaces: number;
  /** Instances the cache or the provlog knows, and how many of them the CP was asked about. */
  instances_known: number;
  instances_checked: number;
  /** Status checks that got no definitive answer: never counted as evidence. */
  checks_uncertain: number;
  tenant: "ok" | "unreachable";
  ms: number;
}

/** What `doctor.act` did about one finding. */
export interface ActionResult {
  finding: string;
  kind: string;
  workspace_id: string;
  done: boolean;
  detail: string;
}

/** What `bootstrap.report` told the tenant. */
export interface BootstrapReport {
  workspace_id: string;
  /** false: the tenant had already moved on (not provisioning), so this report changed nothing. */
  changed: boolean;
  /** The crash line that was reported. */
  error: string;
  /** Where the crash was seen: already on file, or read from the console just now. */
  detected: "cache" | "console";
}

/** What `sync.run` did (core/ops/sync.ts). */
export interface SyncReport {
  /** Distinct workspaces the tenant listed (skipped items not included). */
  workspaces: number;
  added: number;
  /** Already cached and some field changed. */
  updated: number;
  unchanged: number;
  /** Cached but not listed by this sync: the rows are kept. */
  gone: number;
  /** Listed items without a usable id, or repeating an id already listed. */
  skipped: number;
  /** Listed workspaces with no instance on file. */
  without_instance: number;
  events_added: number;
  events_skipped: number;
  /** GET /events failed after the list succeeded: the workspaces are committed all the same. */
  events_error: string | null;
  /** ISO 8601 UTC: the as-of time of every listed workspace. */
  as_of: string;
}

export interface WorkspaceView {
  id: string;
  name: string | null;
  /** The shown status (see core/ops/shown-status): a tenant status or "uncertain". */
  status: string;
  /** What the tenant itself last said. */
  tenantStatus: string | null;
  source: StatusSource;
  asOf: string;
  since: string | null;
  detail: string | null;
  runtime: string | null;
  tier: number | null;
  /** The instance on file (from an imported server log or this console's Start), or null. */
  instanceId: string | null;
  /**
   * Whether that instance is still the workspace's as far as the console knows: bound after the
   * tenant's last (re)provisioning, which may have replaced it without saying (the tenant API has
   * no instance ids). CP actions act only on a current instance.
   */
  instanceCurrent: boolean;
  /** The latest heartbeat the tenant's /ws feed pushed for it (liveness). */
  lastHeartbeatAt: string | null;
  /** The cached row is older than the stale threshold. */
  stale: boolean;
  /** The last sync did not list it. */
  gone: boolean;
}

export interface WorkspaceList {
  rows: WorkspaceView[];
  lastSyncAt: string | null;
  lastSyncError: string | null;
  connection: ConnectionChange | null;
}

export interface BindingView {
  instanceId: string;
  source: string;
  state: string | null;
  boundAt: string;
  unboundAt: string | null;
}

export interface RestartView {
  via: string;
  state: string;
  step: string;
  startedAt: string;
  updatedAt: string;
  error: string | null;
  /** Steps of a restart running in this host (empty for one that ran elsewhere). */
  steps: RestartStep[];
  /** Whether restart.cancel can still stop it: it runs here and nothing was sent yet. */
  cancellable: boolean;
}

export interface CrashView {
  instanceId: string | null;
  error: string;
  tail: string;
  at: string;
  reportedAt: string | null;
}

export interface WorkspaceDetail {
  workspace: WorkspaceView;
  /** Every other field the tenant sent (its own instance_id, last_sample_error, …). */
  fields: Record<string, unknown>;
  bindings: BindingView[];
  lastRestart: RestartView | null;
  crash: CrashView | null;
  lastError: string | null;
}

export interface StatusView {
  workspace_id: string;
  instance_id: string | null;
  running: boolean;
  state: string | null;
  error: ApiError | null;
}

export interface ConsoleView {
  output: string;
  fetchedAt: string;
  instanceId: string | null;
  /** true: read from the cache (offline), not fetched now. */
  cached: boolean;
}

export interface TimelineView {
  id: number;
  ts: string | null;
  event: string;
  workspaceId: string | null;
  instanceId: string | null;
  /** The payload as logged (JSON text). */
  fields: string;
  source: string;
}

export interface ProfileView {
  name: string;
  tenantUrl: string;
  orgId: string;
  cpUrl: string | null;
  /** Whether secrets are stored for it (never the secrets). */
  hasSecrets: boolean;
  active: boolean;
  /** Defined by the environment: it can be used, not edited. */
  readOnly: boolean;
}

export interface Settings {
  theme: "light" | "dark" | "system";
  sweepSeconds: number;
  concurrency: number;
}

export interface AppInfo {
  host: "electron" | "browser";
  version: string;
  profile: string | null;
  /** Which credential storage is in use, and why when it refuses to store. */
  credentials: { kind: string; detail: string; canStore: boolean };
}

export interface ApiError {
  /** One of core/errors.ts's codes (a string: it also arrives from across a process boundary). */
  code: string;
  message: string;
}

export interface RequestResults {
  "app.info": AppInfo;
  "workspaces.list": WorkspaceList;
  "workspaces.get": WorkspaceDetail;
  "workspaces.status": StatusView;
  "console.read": ConsoleView;
  "restart.start": { workspace_id: string; via: RestartVia; joined: boolean };
  "restart.cancel": { cancelled: boolean };
  "restart.get": RestartView | null;
  "bootstrap.report": BootstrapReport;
  "sync.run": SyncReport;
  "sweep.run": { checked: number; uncertain: number; notRunning: number; ms: number } | null;
  "timeline.list": { rows: TimelineView[]; more: boolean };
  "profiles.list": ProfileView[];
  "profiles.save": ProfileView;
  "profiles.remove": { removed: boolean };
  "profiles.use": ProfileView;
  "profiles.test": { ok: boolean; workspaces: number | null; error: ApiError | null; cp: "ok" | "none" | "failed" };
  "doctor.run": DoctorReport;
  "doctor.act": ActionResult;
  "settings.get": Settings;
  "settings.set": Settings;
}

export interface SubscriptionItems {
  live: LiveChange;
  "restart.progress": RestartProgress;
}

// Every request and subscription of the catalogue has a result type, and nothing else does.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const catalogueIsComplete: Exact<keyof RequestResults, RequestName> &
  Exact<keyof SubscriptionItems, SubscriptionName> = true;
