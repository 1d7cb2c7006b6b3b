/**
 * The data the emulator serves. Field names are the wire names of SPEC §2 (CP) and §3
 * (tenant platform), so a test can compare what it got over HTTP with `sim.state` directly.
 */

/** EC2 lifecycle as the CP reports it (SPEC §7: pending → running → stopping → terminated). */
export type InstanceState = "pending" | "running" | "stopping" | "terminated";

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

export interface TenantWorkspace {
  id: string;
  name: string;
  role: string;
  tier: number;
  /** Kept as a plain string: the sim serves statuses the SPEC does not list (clients must keep them). */
  status: string;
  url: string | null;
  parent_id: string | null;
  runtime: string;
  active_tasks: number;
  last_error_rate: number;
  last_sample_error: string | null;
  uptime_seconds: number;
  current_task: string | null;
  instance_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface SimEvent {
  id: string;
  event_type: string;
  workspace_id: string | null;
  payload: Record<string, unknown>;
  created_at: string;
}

/** One message of the tenant's `GET /ws` feed (SPEC §3): a SimEvent under its wire names. */
export interface FeedMessage {
  event: string;
  workspace_id: string | null;
  /** The event's created_at (ISO 8601). */
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
  workspaces(): TenantWorkspace[];
  workspace(id: string): TenantWorkspace | undefined;
  instances(): CpInstance[];
  instance(instanceId: string): CpInstance | undefined;
  /** Newest first. */
  events(): SimEvent[];
  requests(): RequestRecord[];
  /** Sets the status as-is (no boot flow is started) and emits the matching event, if any. */
  setWorkspaceStatus(id: string, status: string): TenantWorkspace;
  /** Sets the state as-is and cancels that instance's pending transition; the tenant side is untouched. */
  setInstanceState(instanceId: string, state: InstanceState): CpInstance;
  /** Seeds one workspace; a live status without an explicit instance_id gets a CP instance. */
  addWorkspace(partial?: Partial<TenantWorkspace>): TenantWorkspace;
  /**
   * The fleet problems the doctor finds, as production made them (see the seeds). This one
   * removes the workspace in the tenant but leaves its instance running (the zombie EC2s).
   */
  removeLeavingInstance(id: string): TenantWorkspace;
  /** The tenant's instance_id of the workspace becomes its own UUID (the malformed binding). */
  corruptBinding(id: string): TenantWorkspace;
  /** A workspace provisioning since `minutesAgo`, whose boot crashed (RUNTIME CRASHED on its console). */
  addStuckBoot(minutesAgo: number, partial?: Partial<TenantWorkspace>): TenantWorkspace;
  /** Status checks of this instance answer 503 (or answer again with `broken` false). */
  breakStatus(instanceId: string, broken?: boolean): void;
  /** Subscribes to new events (what the /ws feed pushes); returns the unsubscribe function. */
  onEvent(listener: (event: SimEvent) => void): () => void;
  /**
   * Toggles the workspace between online and degraded every everyMs, emitting an event per flip;
   * flips wait while it is in any other status. Returns the function that stops it.
   */
  flap(id: string, everyMs: number): () => void;
}
