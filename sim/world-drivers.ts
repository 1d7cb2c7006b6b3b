import { accessLine } from "./access-log";
import { LIVE_STATUSES } from "./catalog";
import { goJson, jsonbOrder } from "./go-json-body";
import { CANVAS_IP, createLines, startedLines } from "./seed-history";
import { agentCardFor } from "./seed-vocabulary";
import type { SimWorld } from "./state";
import { provisioningPayload } from "./status-events";
import type { TenantWorkspace, WorkspaceInput } from "./types";
import { toListJson, type WorkspaceRecord } from "./workspace-record";

/**
 * The scenario drivers of SimState: workspaces and the fleet problems the doctor finds, made the
 * way production made them, including what the tenant's log shows about them.
 */

export function addWorkspace(world: SimWorld, partial: WorkspaceInput): TenantWorkspace {
  const now = world.clock.now();
  const id = partial.id ?? world.rng.uuid();
  if (world.find(id)) throw new Error(`sim: workspace ${id} already exists`);
  const status = partial.status ?? "online";
  const runtime = partial.runtime ?? "langgraph";
  const tier = partial.tier ?? 2;
  const name = partial.name ?? `workspace-${id.slice(0, 8)}`;
  const role = partial.role === undefined ? "assistant" : (partial.role ?? "");
  const agentRunning = status === "online" || status === "degraded";
  let instanceId = partial.instance_id;
  let agentInstanceId: string | null = null;
  let url = "";
  if (instanceId) {
    // An explicit id that is a live machine of this workspace is where its agent runs.
    const given = world.instanceTable.get(instanceId);
    if (given?.data.workspace_id === id && (given.data.state === "running" || given.data.state === "pending"))
      agentInstanceId = instanceId;
  } else if (instanceId === undefined) {
    instanceId = null;
    // An external workspace is operator-driven: the platform never gives it a machine.
    if (runtime !== "external" && LIVE_STATUSES.has(status)) {
      const instance = world.createInstance(id, runtime, tier, status === "provisioning" ? "pending" : "running");
      instanceId = instance.data.instance_id;
      agentInstanceId = instanceId;
      if (status !== "provisioning") url = `http://${instance.data.private_ip}:8000`;
    }
  }
  if (runtime === "external" && agentRunning) url = `https://${name}.agents.example.com`;
  const record: WorkspaceRecord = {
    id,
    name,
    role,
    tier,
    status,
    url: partial.url ?? url,
    parentId: partial.parent_id ?? null,
    activeTasks: partial.active_tasks ?? 0,
    maxConcurrentTasks: partial.max_concurrent_tasks ?? 1,
    lastErrorRate: partial.last_error_rate ?? 0,
    lastSampleError: partial.last_sample_error ?? "",
    currentTask: partial.current_task ?? "",
    runtime,
    workspaceDir: partial.workspace_dir ?? "",
    monthlySpend: partial.monthly_spend ?? 0,
    x: partial.x ?? 0,
    y: partial.y ?? 0,
    collapsed: partial.collapsed ?? false,
    budgetLimit: partial.budget_limit ?? null,
    agentCard: null,
    createdMicros: world.clock.nowMicros(),
    updatedMicros: world.clock.nowMicros(),
    lastOutboundMicros: partial.last_outbound_at ? Date.parse(partial.last_outbound_at) * 1000 : null,
    instanceId: world.options.cp ? instanceId : null,
    agentInstanceId,
    onlineSince: agentRunning ? now - (partial.uptime_seconds ?? 0) * 1000 : null,
    frozenUptime: agentRunning ? 0 : (partial.uptime_seconds ?? 0),
    bootTimer: undefined,
  };
  const card =
    partial.agent_card === undefined
      ? agentRunning
        ? agentCardFor(name, runtime, role, record.url)
        : null
      : partial.agent_card;
  record.agentCard = card === null ? null : jsonbOrder(card);
  world.insertRecord(record);
  if (record.instanceId !== null) logCreate(world, record, now);
  return toListJson(record, world.uptimeOf(record));
}

/** What the tenant's log holds for a workspace it created on the CP: provision.start, then the Start. */
function logCreate(world: SimWorld, record: WorkspaceRecord, at: number): void {
  const instanceId = record.instanceId as string;
  const state = world.instanceTable.get(instanceId)?.data.state ?? "running";
  for (const line of createLines(at, record.id, record.name, record.tier, record.runtime)) world.log.write(line);
  for (const line of startedLines(at, record.id, instanceId, state, record.tier, record.runtime)) world.log.write(line);
}

/**
 * A Delete whose CP Stop failed (handlers/workspace_crud.go, #1843): the row is marked removed
 * first, the Stop error is logged ("… leaving cleanup for orphan sweeper") and answered 500, and
 * WORKSPACE_REMOVED is recorded. No ec2_stopped: the machine keeps running, its id still on file.
 */
export function removeLeavingInstance(world: SimWorld, record: WorkspaceRecord): TenantWorkspace {
  const at = world.clock.now();
  world.agentGone(record);
  record.status = "removed";
  record.updatedMicros = world.clock.nowMicros();
  if (record.instanceId !== null) {
    const body = goJson({ error: "TerminateInstances: RequestLimitExceeded" });
    world.log.printf(
      at,
      `Delete ${record.id} stop failed: cp provisioner: stop ${record.id}: unexpected 502: ${body} — leaving cleanup for orphan sweeper`,
    );
  }
  world.recordEvent("WORKSPACE_REMOVED", record.id, { cascade_deleted: 0 });
  world.log.write({ at, text: accessLine(at, 500, CANVAS_IP, "DELETE", `/workspaces/${record.id}`) });
  return toListJson(record, world.uptimeOf(record));
}

/**
 * The malformed binding (seed, 2026-04-22): a CP Start answered 201 with the workspace's own
 * UUID as the instance id; the tenant logged it as ec2_started and stored it. Its agent keeps
 * running on its real machine, which no Stop can now reach.
 */
export function corruptBinding(world: SimWorld, record: WorkspaceRecord): TenantWorkspace {
  const at = world.clock.now();
  world.log.printf(at, `CPProvisioner: goroutine entered for ${record.id} (runtime=${record.runtime}, mode=cp)`);
  for (const line of startedLines(at, record.id, record.id, "running", record.tier, record.runtime))
    world.log.write(line);
  record.instanceId = record.id;
  record.updatedMicros = world.clock.nowMicros();
  return toListJson(record, world.uptimeOf(record));
}

/**
 * A workspace created `minutesAgo` whose first boot crashed and that the platform has not given
 * up on yet: provisioning since then (its WORKSPACE_PROVISIONING event and log say when), a
 * running machine whose console ends in RUNTIME CRASHED, no boot timer.
 */
export function addStuckBoot(world: SimWorld, minutesAgo: number, partial: WorkspaceInput): TenantWorkspace {
  const ws = addWorkspace(world, { ...partial, status: "provisioning", instance_id: null });
  const record = world.mustFind(ws.id);
  const startedMs = world.clock.now() - minutesAgo * 60_000;
  const createdMs = startedMs - 1_600;
  const instance = world.createInstance(ws.id, ws.runtime, ws.tier, "running");
  instance.data.crash = true;
  instance.startedMs = startedMs;
  instance.data.created_at = new Date(startedMs).toISOString();
  record.createdMicros = createdMs * 1000;
  record.updatedMicros = createdMs * 1000;
  record.instanceId = world.options.cp ? instance.data.instance_id : null;
  world.recordPastEvent("WORKSPACE_PROVISIONING", record.id, provisioningPayload(record), createdMs);
  if (record.instanceId !== null) {
    for (const line of createLines(createdMs, record.id, record.name, record.tier, record.runtime))
      world.log.write(line);
    for (const line of startedLines(startedMs, record.id, record.instanceId, "pending", record.tier, record.runtime))
      world.log.write(line);
  }
  return toListJson(record, world.uptimeOf(record));
}
