import { goMap } from "./go-json-body";
import { formatPgTime } from "./go-time-format";
import { provisionTimeoutSeconds } from "./templates";
import type { TenantWorkspace, TenantWorkspaceDetail } from "./types";

/**
 * One row of the tenant's workspaces table (joined with canvas_layouts), plus what the sim
 * needs to keep it moving. Strings the platform COALESCEs to '' are '' here, as in its scan.
 */
export interface WorkspaceRecord {
  id: string;
  name: string;
  /** "" = NULL (served as null). */
  role: string;
  tier: number;
  status: string;
  /** "" when none: Restart and Pause write url = ''. */
  url: string;
  parentId: string | null;
  activeTasks: number;
  maxConcurrentTasks: number;
  lastErrorRate: number;
  lastSampleError: string;
  currentTask: string;
  runtime: string;
  /** "" = NULL. */
  workspaceDir: string;
  /** USD cents this month, as the agent reports it. */
  monthlySpend: number;
  x: number;
  y: number;
  collapsed: boolean;
  budgetLimit: number | null;
  /** jsonb: already in jsonb key order. */
  agentCard: Record<string, unknown> | null;
  createdMicros: number;
  updatedMicros: number;
  lastOutboundMicros: number | null;
  /** workspaces.instance_id as the provlog tells it (SimState.instanceOf). */
  instanceId: string | null;
  /** The instance this workspace's agent runs or boots on: what liveness follows. */
  agentInstanceId: string | null;
  /** When the running agent started (ms), null while no agent runs. */
  onlineSince: number | null;
  /** The uptime the last agent reported before it went away (the column keeps it). */
  frozenUptime: number;
  bootTimer: NodeJS.Timeout | undefined;
}

/** scanWorkspaceRow's map, keys in encoding/json's sorted order (tenant-json.test.ts pins it). */
export function toListJson(record: WorkspaceRecord, uptimeSeconds: number, shareCard = false): TenantWorkspace {
  const ws: TenantWorkspace = {
    active_tasks: record.activeTasks,
    // The HTTP route only serializes it; SimState hands out copies.
    agent_card: record.agentCard === null || shareCard ? record.agentCard : structuredClone(record.agentCard),
    budget_limit: record.budgetLimit,
    collapsed: record.collapsed,
    current_task: record.currentTask,
    id: record.id,
    last_error_rate: record.lastErrorRate,
    last_sample_error: record.lastSampleError,
    max_concurrent_tasks: record.maxConcurrentTasks,
    monthly_spend: record.monthlySpend,
    name: record.name,
    parent_id: record.parentId,
    role: record.role === "" ? null : record.role,
    runtime: record.runtime,
    status: record.status,
    tier: record.tier,
    uptime_seconds: uptimeSeconds,
    url: record.url,
    workspace_dir: record.workspaceDir === "" ? null : record.workspaceDir,
    x: record.x,
    y: record.y,
  };
  return withProvisionTimeout(ws);
}

/**
 * Get's answer, built as handlers/workspace.go builds it: the list's map with the fields stripped
 * on the open route deleted (#955: operational data) and last_outbound_at added (#817), its keys
 * sorted again as encoding/json writes a map.
 */
export function toDetailJson(record: WorkspaceRecord, uptimeSeconds: number): TenantWorkspaceDetail {
  const {
    budget_limit: _budget,
    current_task: _task,
    last_sample_error: _error,
    monthly_spend: _spend,
    workspace_dir: _dir,
    ...kept
  } = toListJson(record, uptimeSeconds);
  const lastOutbound = record.lastOutboundMicros === null ? null : formatPgTime(record.lastOutboundMicros);
  return goMap({ ...kept, last_outbound_at: lastOutbound });
}

/** addProvisionTimeoutMs: only when the runtime's template declares one, inserted in key order. */
function withProvisionTimeout<T extends { parent_id: string | null; provision_timeout_ms?: number }>(ws: T): T {
  const seconds = provisionTimeoutSeconds((ws as unknown as { runtime: string }).runtime);
  if (seconds <= 0) return ws;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ws)) {
    out[key] = value;
    if (key === "parent_id") out.provision_timeout_ms = seconds * 1000;
  }
  return out as T;
}
