import type { DoctorReport } from "../ops/doctor";
import type { ActionResult } from "../ops/doctor-actions";
import type { ConnectionChange, LiveChange } from "../ops/live-status";
import type { BootstrapReport } from "../ops/report-bootstrap-failure";
import type { RestartProgress, RestartStep, RestartVia } from "../ops/restart";
import type { StatusSource } from "../ops/shown-status";
import type { SyncReport } from "../ops/sync";
import type { RequestName, SubscriptionName } from "./schemas";

/**
 * What crosses from a host to the renderer: plain JSON, times as ISO 8601 UTC strings, never a
 * secret, a token or an upstream body (DESIGN: data flows one way).
 */
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

/** What `restart.progress` pushes: the restart as it stands, after every change (core/ops/restart.ts). */
export type { RestartProgress };

export interface SubscriptionItems {
  live: LiveChange;
  "restart.progress": RestartProgress;
}

// Every request and subscription of the catalogue has a result type, and nothing else does.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const catalogueIsComplete: Exact<keyof RequestResults, RequestName> &
  Exact<keyof SubscriptionItems, SubscriptionName> = true;
