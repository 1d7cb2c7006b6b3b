/**
 * What the CP client needs from the local store: where the workspace→instance mapping lives
 * and where its own actions are written to the timeline. Synchronous, like better-sqlite3; any
 * throw is treated as a store failure by the client.
 */
export interface CpLedger {
  resolveInstanceId(workspaceId: string): string | null;
  recordStarted(record: StartedRecord): void;
  recordStopped(record: StoppedRecord): void;
  recordStopFailed(record: StopFailedRecord): void;
}

export interface StartedRecord {
  workspaceId: string;
  instanceId: string;
  state: string;
  tier: number;
  runtime: string;
  at: Date;
  /** The CP answered an instance id that is not EC2-shaped: recorded as it is, flagged. */
  malformed?: boolean;
}

export interface StoppedRecord {
  workspaceId: string;
  instanceId: string;
  at: Date;
}

/** docs/contracts.md §2: `provision.ec2_stop_failed {workspace_id, instance_id, status, error}`. */
export interface StopFailedRecord {
  workspaceId: string;
  instanceId: string;
  /** The CP's status; null when no answer came (timeout, reset). */
  status: number | null;
  /** Already redacted and at most a 512-byte excerpt of the body. */
  error: string;
  at: Date;
}
