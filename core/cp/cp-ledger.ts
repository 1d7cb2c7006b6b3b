/**
 * What the CP client needs from the local store: where the workspace→instance mapping lives
 * and where its own actions are written to the timeline. Synchronous, like better-sqlite3; any
 * throw is treated as a store failure by the client.
 */
export interface CpLedger {
  resolveInstanceId(workspaceId: string): string | null;
  recordStarted(record: StartedRecord): void;
  recordStopped(record: StoppedRecord): void;
}

export interface StartedRecord {
  workspaceId: string;
  instanceId: string;
  state: string;
  tier: number;
  runtime: string;
  at: Date;
}

export interface StoppedRecord {
  workspaceId: string;
  instanceId: string;
  at: Date;
}
