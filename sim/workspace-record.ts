import type { TenantWorkspace } from "./types";

/** A tenant workspace plus what the sim needs to keep it moving. */
export interface WorkspaceRecord {
  /** uptime_seconds in here is ignored: it is computed from onlineSince when served. */
  data: TenantWorkspace;
  onlineSince: number | null;
  bootTimer: NodeJS.Timeout | undefined;
}

export function toPublicWorkspace(record: WorkspaceRecord, now: number): TenantWorkspace {
  const uptime = record.onlineSince === null ? 0 : Math.max(0, Math.floor((now - record.onlineSince) / 1000));
  return { ...record.data, uptime_seconds: uptime };
}
