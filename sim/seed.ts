import { RUNTIMES, UNKNOWN_STATUS } from "./catalog";
import { jsonbOrder } from "./go-json-body";
import { createPrng, type Prng } from "./prng";
import {
  ADJECTIVES,
  agentCardFor,
  instanceIdFrom,
  NOUNS,
  privateIpFrom,
  ROLES,
  SAMPLE_ERRORS,
  TASKS,
} from "./seed-vocabulary";
import type { CpInstance } from "./types";
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

/** One seeded workspace and the history that led to its current state (seed-history.ts tells it). */
export interface SeedStory {
  record: WorkspaceRecord;
  instance: SeededInstance | null;
  /** When its agent registered (the boot finished), if it ever did. */
  onlineAt: number | null;
  /** When it reached its current status. */
  changedAt: number;
  /** Its instance was stopped by the tenant itself (Pause), so its log has ec2_stopped. */
  tenantStopped: boolean;
  /** For a paused parent: how many children its Pause cascaded to. */
  pausedChildren: number;
}

type Plan = { status: string; external?: boolean; pause?: "parent" | "child" };

/**
 * One of each case a client must handle, then mostly online: what a real tenant looks like.
 * Externals (runtime "external", operator-driven: no instance, Restart is a noop) both waiting
 * for their agent and connected; a paused parent with a paused child (Pause cascades), so a
 * Restart of the child meets the platform's 409.
 */
const GUARANTEED: Plan[] = [
  { status: "online" },
  { status: UNKNOWN_STATUS },
  { status: "provisioning" },
  { status: "failed" },
  { status: "degraded" },
  { status: "hibernated" },
  { status: "awaiting_agent", external: true },
  { status: "online", external: true },
  { status: "paused", pause: "parent" },
  { status: "paused", pause: "child" },
];
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
const DAY = 86_400_000;
/** How long a seeded boot took from RunInstances to the agent's register. */
const BOOT_MS = 95_000;
const HOSTED_RUNTIMES = RUNTIMES.filter((runtime) => runtime !== "external");

export function seedWorld(input: SeedInput): SeedStory[] {
  const rng = createPrng(input.seed);
  const plan = planStatuses(rng, input.count);
  const stories: SeedStory[] = [];
  const names = new Set<string>();
  let pausedParent: SeedStory | undefined;
  for (const [index, entry] of plan.entries()) {
    const parent =
      entry.pause === "child" ? pausedParent : index > 0 && rng.chance(0.3) ? pickParent(rng, stories) : undefined;
    const story = seedWorkspace(rng, input, index, entry, names, parent?.record.id ?? null);
    if (entry.pause === "parent") pausedParent = story;
    if (entry.pause === "child" && pausedParent) {
      // One Pause stopped both, the parent first (workspace_restart.go Pause walks self, then descendants).
      pausedParent.pausedChildren += 1;
      const at = Math.max(pausedParent.changedAt, (story.onlineAt ?? 0) + 60_000);
      pausedParent.changedAt = at;
      story.changedAt = at + 40;
    }
    stories.push(story);
  }
  for (const story of stories) finish(rng, story);
  return stories;
}

/** What follows from when the workspace reached its status: the stopped machine, the frozen uptime, updated_at. */
function finish(rng: Prng, story: SeedStory): void {
  const { record, instance } = story;
  if (instance && record.status === "offline") {
    // The agent died with its machine; the liveness monitor marked it offline. No tenant Stop.
    instance.data.state = "terminated";
    instance.stoppedMs = story.changedAt - 30_000;
  } else if (instance && record.status === "paused") {
    // Pause stops the machine through the CP (StopWorkspaceAuto) and clears the URL.
    instance.data.state = "terminated";
    instance.stoppedMs = story.changedAt;
    story.tenantStopped = true;
    record.instanceId = null;
  }
  if (story.onlineAt !== null && record.onlineSince === null) {
    record.frozenUptime = Math.max(0, Math.floor((story.changedAt - story.onlineAt) / 1000));
  }
  if (record.status !== "provisioning") record.updatedMicros = Math.floor(story.changedAt) * 1000 + rng.int(0, 999);
}

function planStatuses(rng: Prng, count: number): Plan[] {
  const plan = GUARANTEED.slice(0, count);
  // Too few workspaces for the child: the parent is just a paused workspace.
  if (plan.at(-1)?.pause === "parent") plan[plan.length - 1] = { status: "paused" };
  while (plan.length < count) {
    const status = weighted(rng);
    // Only an external workspace waits for its agent (handlers/workspace.go Create).
    plan.push(status === "awaiting_agent" ? { status, external: true } : { status });
  }
  for (let i = plan.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [plan[i], plan[j]] = [plan[j] as Plan, plan[i] as Plan];
  }
  const parentAt = plan.findIndex((p) => p.pause === "parent");
  const childAt = plan.findIndex((p) => p.pause === "child");
  if (childAt >= 0 && parentAt > childAt)
    [plan[parentAt], plan[childAt]] = [plan[childAt] as Plan, plan[parentAt] as Plan];
  return plan;
}

function weighted(rng: Prng): string {
  let roll = rng.next();
  for (const [status, weight] of WEIGHTED) {
    roll -= weight;
    if (roll < 0) return status;
  }
  return "online";
}

/** A parent that is neither paused (Pause would have cascaded) nor booting for the first time. */
function pickParent(rng: Prng, stories: SeedStory[]): SeedStory | undefined {
  const candidate = stories[rng.int(0, stories.length - 1)];
  return candidate && !["paused", "provisioning"].includes(candidate.record.status) ? candidate : undefined;
}

function seedWorkspace(
  rng: Prng,
  input: SeedInput,
  index: number,
  entry: Plan,
  names: Set<string>,
  parentId: string | null,
): SeedStory {
  const { status } = entry;
  const id = rng.uuid();
  const runtime = entry.external ? "external" : rng.pick(HOSTED_RUNTIMES);
  const tier = rng.int(1, 4);
  let name = `${rng.pick(ADJECTIVES)}-${rng.pick(NOUNS)}`;
  if (names.has(name)) name = `${name}-${index + 1}`;
  names.add(name);
  const role = rng.chance(0.1) ? "" : rng.pick(ROLES);
  // Created in index order over the last 90 days (the list is ORDER BY created_at); a workspace
  // still in its first boot was created moments ago.
  const span = (88 * DAY) / Math.max(1, input.count);
  let createdMs = Math.floor(input.now - 90 * DAY + (index + rng.next()) * span);
  if (status === "provisioning") createdMs = input.now - 1_600 - rng.int(0, 400);
  const record = baseRecord(rng, id, name, role, tier, runtime, status, createdMs, parentId, index);
  const story: SeedStory = {
    record,
    instance: null,
    onlineAt: null,
    changedAt: createdMs,
    tenantStopped: false,
    pausedChildren: 0,
  };

  if (runtime === "external") {
    if (status === "online") connectExternal(rng, story, input.now);
    return story;
  }
  if (status === UNKNOWN_STATUS || status === "awaiting_agent") return story;
  const startedMs = createdMs + 1_600;
  if (status === "provisioning") {
    const instance = seedInstance(rng, id, runtime, tier, "pending", startedMs, rng.chance(input.crashRatio));
    story.instance = instance;
    record.instanceId = instance.data.instance_id;
    record.agentInstanceId = instance.data.instance_id;
    return story;
  }
  if (status === "failed") {
    // The boot crashed; the CP's bootstrap watcher reported it (seed-history.ts writes the
    // failure); the CP reaped the machine. The tenant never stopped it, so its database (and
    // log) still name that instance.
    const instance = seedInstance(rng, id, runtime, tier, "terminated", startedMs, true);
    story.changedAt = startedMs + 75_000;
    instance.stoppedMs = story.changedAt + 300_000;
    story.instance = instance;
    record.instanceId = instance.data.instance_id;
    return story;
  }
  const instance = seedInstance(rng, id, runtime, tier, "running", startedMs, false);
  story.instance = instance;
  story.onlineAt = startedMs + BOOT_MS;
  story.changedAt = story.onlineAt + Math.floor(rng.next() * (input.now - story.onlineAt));
  const url = `http://${instance.data.private_ip}:8000`;
  record.agentCard = jsonbOrder(agentCardFor(name, runtime, role, url));
  record.instanceId = instance.data.instance_id;
  // The row keeps the URL its agent registered until a Restart or a Pause clears it.
  if (status !== "paused" && status !== "hibernated") record.url = url;
  if (status === "online" || status === "degraded") {
    record.agentInstanceId = instance.data.instance_id;
    record.onlineSince = story.onlineAt;
    record.activeTasks = rng.int(0, Math.min(3, record.maxConcurrentTasks));
    record.currentTask = record.activeTasks > 0 ? rng.pick(TASKS) : "";
    record.monthlySpend = rng.int(0, 25_000);
    // registry.go evaluateStatus: degraded at an error rate of 0.5 or more, back online below 0.1.
    record.lastErrorRate = status === "degraded" ? round(0.5 + rng.next() * 0.4) : round(rng.next() * 0.09);
    if (status === "degraded") record.lastSampleError = rng.pick(SAMPLE_ERRORS);
    if (status === "online") story.changedAt = story.onlineAt;
    if (rng.chance(0.4)) record.lastOutboundMicros = (input.now - rng.int(60_000, DAY)) * 1000 + rng.int(0, 999);
  }
  // offline and paused machines stop in finish(); hibernated: on SaaS HibernateWorkspace stops only
  // a Docker container (h.provisioner), so the EC2 keeps running, its agent idle (workspace_restart.go).
  return story;
}

function connectExternal(rng: Prng, story: SeedStory, now: number): void {
  const { record } = story;
  story.onlineAt = record.createdMicros / 1000 + rng.int(60_000, 3_600_000);
  story.changedAt = story.onlineAt;
  record.url = `https://${record.name}.agents.example.com`;
  record.agentCard = jsonbOrder(agentCardFor(record.name, record.runtime, record.role, record.url));
  record.onlineSince = Math.min(now, story.onlineAt);
  record.updatedMicros = Math.floor(story.onlineAt) * 1000;
}

function baseRecord(
  rng: Prng,
  id: string,
  name: string,
  role: string,
  tier: number,
  runtime: string,
  status: string,
  createdMs: number,
  parentId: string | null,
  index: number,
): WorkspaceRecord {
  const createdMicros = createdMs * 1000 + rng.int(0, 999);
  return {
    id,
    name,
    role,
    tier,
    status,
    url: "",
    parentId,
    activeTasks: 0,
    maxConcurrentTasks: rng.chance(0.2) ? rng.int(2, 4) : 1,
    lastErrorRate: 0,
    lastSampleError: "",
    currentTask: "",
    runtime,
    workspaceDir: "",
    monthlySpend: 0,
    x: (index % 8) * 280,
    y: Math.floor(index / 8) * 180,
    collapsed: rng.chance(0.05),
    budgetLimit: rng.chance(0.25) ? rng.pick([5_000, 10_000, 25_000]) : null,
    agentCard: null,
    createdMicros,
    updatedMicros: createdMicros,
    lastOutboundMicros: null,
    instanceId: null,
    agentInstanceId: null,
    onlineSince: null,
    frozenUptime: 0,
    bootTimer: undefined,
  };
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

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
