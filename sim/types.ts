/**
 * The data the emulator serves. Field names are the wire names of docs/contracts.md §2 (CP) and §3 (tenant
 * platform, as handlers/workspace.go serves them), so a test can compare what it got over HTTP
 * with `sim.state` directly.
 */

/** EC2 lifecycle as the CP reports it (docs/contracts.md §7: pending → running → stopping → terminated). */
export type InstanceState = "pending" | "running" | "stopping" | "terminated";

/** One instance of the CP's table (the CP side; the tenant's JSON never shows these). */
export interface CpInstance {
  instance_id: string;
  workspace_id: string;
  state: InstanceState;
  created_at: string;
  /** Whether this boot's console ends in RUNTIME CRASHED (decided at creation, from the seed). */
  crash: boolean;
  runtime: string;
  tier: number;
  private_ip: string;
}

/**
 * One workspace of `GET /workspaces`: exactly the fields of the platform's scanWorkspaceRow
 * (handlers/workspace.go), in its key order. No instance_id, created_at or updated_at: the
 * instance id lives in the tenant's database and its provlog only (docs/contracts.md §3).
 */
export interface TenantWorkspace {
  active_tasks: number;
  /** The agent card the agent registered with (a JSON object), or null. */
  agent_card: Record<string, unknown> | null;
  budget_limit: number | null;
  collapsed: boolean;
  /** "" when the agent reports no task. */
  current_task: string;
  id: string;
  last_error_rate: number;
  /** "" when there is none. */
  last_sample_error: string;
  max_concurrent_tasks: number;
  monthly_spend: number;
  name: string;
  parent_id: string | null;
  /** Only for runtimes whose template declares runtime_config.provision_timeout_seconds. */
  provision_timeout_ms?: number;
  /** null when empty. */
  role: string | null;
  runtime: string;
  /** Kept as a plain string: the sim serves statuses docs/contracts.md does not list (clients must keep them). */
  status: string;
  tier: number;
  /** What the agent last reported in a heartbeat. */
  uptime_seconds: number;
  /** "" when the workspace has no URL (provisioning, stopped). */
  url: string;
  workspace_dir: string | null;
  x: number;
  y: number;
}

/**
 * `GET /workspaces/:id`: the list object less the fields the open route strips
 * (last_sample_error, current_task, budget_limit, monthly_spend, workspace_dir), plus
 * last_outbound_at (handlers/workspace.go Get, #955, #817).
 */
export type TenantWorkspaceDetail = Omit<
  TenantWorkspace,
  "last_sample_error" | "current_task" | "budget_limit" | "monthly_spend" | "workspace_dir"
> & { last_outbound_at: string | null };

/** What a test may seed with `addWorkspace`: wire fields, plus what only the tenant's database holds. */
export type WorkspaceInput = Partial<TenantWorkspace> & {
  /** workspaces.instance_id: undefined = decided by the status (a live one gets a CP instance). */
  instance_id?: string | null;
  /** RFC 3339, or null. */
  last_outbound_at?: string | null;
};

/** One row of `GET /events` (structure_events), keys in the handler's order. */
export interface SimEvent {
  created_at: string;
  event_type: string;
  id: string;
  payload: Record<string, unknown>;
  workspace_id: string | null;
}

/** One message of the tenant's `GET /ws` feed: models.WSMessage, field order included. */
export interface FeedMessage {
  event: string;
  /** "" for a message about no workspace (WSMessage.WorkspaceID is a plain string). */
  workspace_id: string;
  /** When it was broadcast (RFC3339Nano): after the INSERT for a recorded event, so not its created_at. */
  timestamp: string;
  payload: Record<string, unknown>;
}

export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The raw request target, query string included (e.g. to see which instance_id was sent). */
  url: string;
  /** Fault-route name (e.g. "cp.status", "tenant.ws"), "sim.faults", or null when no route matched. */
  route: string | null;
  /** 0 while unanswered, and for black-holed or reset requests; 101 for an accepted /ws upgrade. */
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Response body bytes handed to the socket (for /ws: the feed messages sent so far). */
  bytes: number;
  /** True once the response finished or the connection went away (for /ws: once the feed closed). */
  done: boolean;
  at: string;
}

/** Read access and scenario drivers for tests; every getter returns copies. */
export interface SimState {
  /** The sim's clock (ms since the epoch): options.startAt plus the monotonic time since start. */
  now(): number;
  /**
   * Every workspace in the shape of `GET /workspaces`, in the list's order (created_at),
   * removed ones included (the list route leaves them out) so tests can see them.
   */
  workspaces(): TenantWorkspace[];
  /** One workspace in the list's shape (removed ones too), or undefined. */
  workspace(id: string): TenantWorkspace | undefined;
  /**
   * The tenant database's current instance id of the workspace (workspaces.instance_id), as the
   * tenant's provlog tells it: the last `provision.ec2_started`, or null once the tenant's own
   * Stop recorded `provision.ec2_stopped` (or it never had one). A Stop made by someone else
   * (the console through the CP) leaves it: the tenant never learns of it.
   */
  instanceOf(workspaceId: string): string | null;
  instances(): CpInstance[];
  instance(instanceId: string): CpInstance | undefined;
  /** Recorded events (RecordAndBroadcast), newest first; broadcast-only messages are never here. */
  events(): SimEvent[];
  requests(): RequestRecord[];
  /** Sets the status as-is (no boot flow is started) and records the platform's event for it, if any. */
  setWorkspaceStatus(id: string, status: string): TenantWorkspace;
  /** Sets the state as-is and cancels that instance's pending transition; the tenant side is untouched. */
  setInstanceState(instanceId: string, state: InstanceState): CpInstance;
  /**
   * Seeds one workspace (no event is recorded). A live status (online, degraded, provisioning)
   * without an explicit instance_id gets a CP instance; runtime "external" never does. When the
   * tenant ends up with an instance id, its log records the create (provision.start, ec2_started).
   */
  addWorkspace(partial?: WorkspaceInput): TenantWorkspace;
  /**
   * The fleet problems the doctor finds, as production made them (see the seeds). This one is a
   * Delete whose Stop the CP refused: the row is removed, the instance keeps running, and the
   * tenant's log shows the failed Stop and no ec2_stopped (the zombie EC2s).
   */
  removeLeavingInstance(id: string): TenantWorkspace;
  /** A CP Start that answered the workspace's own UUID as instance id: the tenant stored and logged it. */
  corruptBinding(id: string): TenantWorkspace;
  /** A workspace provisioning since `minutesAgo`, whose boot crashed (RUNTIME CRASHED on its console). */
  addStuckBoot(minutesAgo: number, partial?: WorkspaceInput): TenantWorkspace;
  /** Status checks of this instance answer 503 (or answer again with `broken` false). */
  breakStatus(instanceId: string, broken?: boolean): void;
  /** Subscribes to newly recorded events, at their INSERT (before /ws gets them); returns the unsubscribe function. */
  onEvent(listener: (event: SimEvent) => void): () => void;
  /**
   * Toggles the workspace between online and degraded every everyMs, recording the platform's
   * event per flip; flips wait while it is in any other status. Returns the function that stops it.
   */
  flap(id: string, everyMs: number): () => void;
  /**
   * A steady rate of status changes: the workspaces flip between online and degraded in turn,
   * round-robin, `perSecond` flips a second in all (one recorded event each); a workspace in any
   * other status is skipped. Returns the function that stops it.
   */
  churn(ids: readonly string[], perSecond: number): () => void;
  /** Every /ws message as it is sent (its broadcast), for in-process consumers such as a benchmark. */
  onBroadcast(listener: (message: FeedMessage) => void): () => void;
}
