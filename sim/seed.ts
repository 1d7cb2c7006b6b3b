import { RUNTIMES, STATUS_EVENT, UNKNOWN_STATUS } from "./catalog";
import { createPrng, type Prng } from "./prng";
import type { CpInstance, SimEvent, TenantWorkspace } from "./types";
import type { WorkspaceRecord } from "./workspace-record";

export interface SeedInput {
  seed: number;
  count: number;
  now: number;
  crashRatio: number;
}

export interface SeededInstance {
  data: CpInstance;
  startedMs: number;
  stoppedMs: number | null;
}

export interface SeededWorld {
  workspaces: WorkspaceRecord[];
  instances: SeededInstance[];
  events: SimEvent[];
}

/** One of each status a client must handle, then mostly online: what a real tenant looks like. */
const GUARANTEED = ["online", UNKNOWN_STATUS, "provisioning", "failed", "degraded", "hibernated", "awaiting_agent"];
const WEIGHTED: Array<[string, number]> = [
  ["online", 0.7],
  ["degraded", 0.06],
  ["offline", 0.06],
  ["paused", 0.05],
  ["hibernated", 0.05],
  ["failed", 0.04],
  ["provisioning", 0.02],
  ["awaiting_agent", 0.02],
];
/** Historic events are seeded for the first workspaces only, so 10,000 rows stay cheap. */
const EVENT_WORKSPACES = 100;

const ADJECTIVES = ["billing", "research", "support", "triage", "release", "pricing", "growth", "security", "docs"];
const NOUNS = ["scout", "analyst", "reviewer", "planner", "writer", "auditor", "router", "helper", "curator"];
const ROLES = ["coordinator", "researcher", "reviewer", "coder", "analyst", "support", "writer"];
const TASKS = ["summarise ticket backlog", "review PR #482", "draft release notes", "triage inbound email"];
const SAMPLE_ERRORS = ["upstream model timeout after 60s", "429 Too Many Requests from model provider"];
const DAY = 86_400_000;

export function instanceIdFrom(rng: Prng): string {
  return `i-${rng.hex(17)}`;
}

export function privateIpFrom(rng: Prng): string {
  return `10.0.${rng.int(0, 15)}.${rng.int(2, 254)}`;
}

export function seedWorld(input: SeedInput): SeededWorld {
  const rng = createPrng(input.seed);
  const statuses = pickStatuses(rng, input.count);
  const world: SeededWorld = { workspaces: [], instances: [], events: [] };
  const names = new Set<string>();
  for (const [index, status] of statuses.entries()) {
    const record = seedWorkspace(rng, input, world, index, status, names);
    world.workspaces.push(record);
    if (index < EVENT_WORKSPACES) world.events.push(...historicEvents(rng, record));
  }
  world.events.sort((a, b) => a.created_at.localeCompare(b.created_at));
  return world;
}

function pickStatuses(rng: Prng, count: number): string[] {
  const statuses = GUARANTEED.slice(0, count);
  while (statuses.length < count) statuses.push(weighted(rng));
  for (let i = statuses.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [statuses[i], statuses[j]] = [statuses[j] as string, statuses[i] as string];
  }
  return statuses;
}

function weighted(rng: Prng): string {
  let roll = rng.next();
  for (const [status, weight] of WEIGHTED) {
    roll -= weight;
    if (roll < 0) return status;
  }
  return "online";
}

function seedWorkspace(
  rng: Prng,
  input: SeedInput,
  world: SeededWorld,
  index: number,
  status: string,
  names: Set<string>,
): WorkspaceRecord {
  const id = rng.uuid();
  const runtime = rng.pick(RUNTIMES);
  const tier = rng.int(1, 4);
  const createdMs = input.now - rng.int(1, 90) * DAY - rng.int(0, DAY);
  const parent = index > 0 && rng.chance(0.3) ? world.workspaces[rng.int(0, index - 1)] : undefined;
  let name = `${rng.pick(ADJECTIVES)}-${rng.pick(NOUNS)}`;
  if (names.has(name)) name = `${name}-${index + 1}`;
  names.add(name);

  let instance: SeededInstance | undefined;
  let onlineSince: number | null = null;
  let updatedMs = createdMs + rng.int(60_000, DAY);
  if (status === "online" || status === "degraded") {
    onlineSince = Math.max(createdMs, input.now - rng.int(600, 30 * 86_400) * 1000);
    updatedMs = onlineSince;
    instance = seedInstance(rng, id, runtime, tier, "running", onlineSince - 90_000, false);
  } else if (status === "provisioning") {
    updatedMs = input.now;
    instance = seedInstance(rng, id, runtime, tier, "pending", input.now, rng.chance(input.crashRatio));
  } else if (status === "failed") {
    // The failed boot's instance is gone but its console stays readable, as on the real CP.
    instance = seedInstance(rng, id, runtime, tier, "terminated", updatedMs - 120_000, true);
    instance.stoppedMs = updatedMs;
  }
  if (instance) world.instances.push(instance);
  const live = instance !== undefined && instance.data.state !== "terminated";
  const activeTasks = status === "online" ? rng.int(0, 4) : status === "degraded" ? rng.int(0, 2) : 0;
  const data: TenantWorkspace = {
    id,
    name,
    role: rng.pick(ROLES),
    tier,
    status,
    url: live && status !== "provisioning" ? `http://${instance?.data.private_ip}:8000` : null,
    parent_id: parent?.data.id ?? null,
    runtime,
    active_tasks: activeTasks,
    last_error_rate:
      status === "degraded" ? round(0.2 + rng.next() * 0.4) : status === "online" ? round(rng.next() * 0.05) : 0,
    last_sample_error:
      status === "degraded"
        ? rng.pick(SAMPLE_ERRORS)
        : status === "failed"
          ? "bootstrap failed: RUNTIME CRASHED (runtime exited with code 1)"
          : null,
    uptime_seconds: 0,
    current_task: activeTasks > 0 ? rng.pick(TASKS) : null,
    instance_id: live ? (instance?.data.instance_id ?? null) : null,
    created_at: new Date(createdMs).toISOString(),
    updated_at: new Date(updatedMs).toISOString(),
  };
  return { data, onlineSince, bootTimer: undefined };
}

function seedInstance(
  rng: Prng,
  workspaceId: string,
  runtime: string,
  tier: number,
  state: CpInstance["state"],
  startedMs: number,
  crash: boolean,
): SeededInstance {
  const data: CpInstance = {
    instance_id: instanceIdFrom(rng),
    workspace_id: workspaceId,
    state,
    created_at: new Date(startedMs).toISOString(),
    crash,
    runtime,
    tier,
    private_ip: privateIpFrom(rng),
  };
  return { data, startedMs, stoppedMs: null };
}

function historicEvents(rng: Prng, record: WorkspaceRecord): SimEvent[] {
  const ws = record.data;
  const created = Date.parse(ws.created_at);
  const event = (type: string, atMs: number, payload: Record<string, unknown>): SimEvent => ({
    id: rng.uuid(),
    event_type: type,
    workspace_id: ws.id,
    payload,
    created_at: new Date(atMs).toISOString(),
  });
  const events = [event("WORKSPACE_PROVISIONING", created, { runtime: ws.runtime, tier: ws.tier })];
  if (ws.status === "provisioning") return events;
  if (ws.status === "failed") {
    const failure = { error: ws.last_sample_error, log_tail: "RUNTIME CRASHED", source: "provisioner" };
    return [...events, event("WORKSPACE_PROVISION_FAILED", Date.parse(ws.updated_at), failure)];
  }
  events.push(event("WORKSPACE_ONLINE", created + 95_000, {}));
  const type = STATUS_EVENT[ws.status];
  if (type && ws.status !== "online") events.push(event(type, Date.parse(ws.updated_at), {}));
  return events;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
