import { accessLine } from "./access-log";
import type { BootstrapReport } from "./bootstrap-report";
import type { StoredEvent } from "./event-log";
import { goQuote, jsonbOrder } from "./go-json-body";
import { createPrng, hashSeed, type Prng } from "./prng";
import type { SeedStory } from "./seed";
import { eventLine, type LogLine, proseLine } from "./server-log";
import { provisioningPayload, registerPayload, statusPayload } from "./status-events";

/** Historic events are recorded for the first workspaces only, so 10,000 rows stay cheap. */
const EVENT_WORKSPACES = 100;
/** Where the canvas's requests come from: Caddy on the tenant machine proxies them. */
export const CANVAS_IP = "127.0.0.1";
/** Where the control plane's calls (the bootstrap watcher) come from. */
export const CP_IP = "10.0.0.10";

export interface SeedHistory {
  events: StoredEvent[];
  log: LogLine[];
}

export interface HistoryInput {
  seed: number;
  stories: readonly SeedStory[];
  /** The bootstrap watcher's report of each failed boot, by workspace id. */
  failures: ReadonlyMap<string, BootstrapReport>;
  /** false: a tenant without a CP provisioner, whose log has no EC2 records. */
  cp: boolean;
}

/**
 * What a tenant that lived through the seeded history would have: its structure_events rows
 * (the events the handlers recorded on the way to each workspace's status) and its server log
 * (every create that reached the CP: provision.start, the CP provisioner's lines, ec2_started;
 * the Pause that stopped a machine: ec2_stopped; the watcher's bootstrap failures).
 */
export function seedHistory(input: HistoryInput): SeedHistory {
  const rng = createPrng(hashSeed(input.seed, "history"));
  const history: SeedHistory = { events: [], log: [] };
  for (const [index, story] of input.stories.entries()) {
    const failure = input.failures.get(story.record.id);
    if (index < EVENT_WORKSPACES) history.events.push(...eventsOf(rng, story, failure));
    if (input.cp && story.instance) history.log.push(...logOf(story, failure));
  }
  return history;
}

function eventsOf(rng: Prng, story: SeedStory, failure: BootstrapReport | undefined): StoredEvent[] {
  const { record } = story;
  const created = record.createdMicros / 1000;
  const events: StoredEvent[] = [];
  const add = (type: string, atMs: number, payload: Record<string, unknown>) =>
    events.push({
      id: rng.uuid(),
      eventType: type,
      workspaceId: record.id,
      payload: jsonbOrder(payload),
      createdMicros: Math.floor(atMs) * 1000 + rng.int(0, 999),
    });
  add("WORKSPACE_PROVISIONING", created + 12, provisioningPayload(record));
  if (record.runtime === "external") {
    add("WORKSPACE_AWAITING_AGENT", created + 15, { name: record.name, external: true });
    if (story.onlineAt !== null) add("WORKSPACE_ONLINE", story.onlineAt, registerPayload(record));
    return events;
  }
  if (failure) {
    add("WORKSPACE_PROVISION_FAILED", story.changedAt, {
      error: failure.error,
      log_tail: failure.logTail,
      source: "bootstrap_watcher",
    });
    return events;
  }
  if (story.onlineAt === null) return events;
  add("WORKSPACE_ONLINE", story.onlineAt, registerPayload(record));
  if (record.status !== "online") {
    const type = STATUS_TYPES[record.status];
    if (type) add(type, story.changedAt, statusPayload(record, record.status, "online"));
  }
  return events;
}

const STATUS_TYPES: Readonly<Record<string, string>> = {
  degraded: "WORKSPACE_DEGRADED",
  offline: "WORKSPACE_OFFLINE",
  paused: "WORKSPACE_PAUSED",
  hibernated: "WORKSPACE_HIBERNATED",
};

function logOf(story: SeedStory, failure: BootstrapReport | undefined): LogLine[] {
  const { record } = story;
  const instance = story.instance?.data;
  if (!instance) return [];
  const created = record.createdMicros / 1000;
  const started = story.instance?.startedMs ?? created;
  const lines: LogLine[] = [
    ...createLines(created, record.id, record.name, record.tier, record.runtime),
    ...startedLines(started, record.id, instance.instance_id, "pending", record.tier, record.runtime),
  ];
  const at = story.changedAt;
  if (failure) {
    lines.push({ at, text: proseLine(at, bootstrapFailedMessage(record.id, failure)) });
    lines.push({ at, text: accessLine(at, 200, CP_IP, "POST", `/admin/workspaces/${record.id}/bootstrap-failed`) });
  } else if (story.tenantStopped) {
    lines.push({ at, text: stoppedLine(at, record.id, instance.instance_id) });
    if (story.pausedChildren > 0 || !record.parentId) {
      const done = at + 50;
      lines.push({
        at: done,
        text: proseLine(done, `Paused workspace ${record.name} (${record.id}) + ${story.pausedChildren} children`),
      });
      lines.push({ at: done, text: accessLine(done, 200, CANVAS_IP, "POST", `/workspaces/${record.id}/pause`) });
    }
  } else if (record.status === "hibernated") {
    lines.push({ at, text: proseLine(at, `Hibernate: stopping container for ${record.name} (${record.id})`) });
    lines.push({ at, text: proseLine(at, `Hibernate: workspace ${record.name} (${record.id}) is now hibernated`) });
  }
  return lines;
}

/** POST /workspaces reaching provisionWorkspaceAuto (workspace_dispatchers.go), then its goroutine. */
export function createLines(at: number, id: string, name: string, tier: number, runtime: string): LogLine[] {
  const start = { workspace_id: id, name, tier, runtime, template: "", sync: false };
  return [
    { at, text: eventLine(at, "provision.start", start) },
    { at, text: accessLine(at, 201, CANVAS_IP, "POST", "/workspaces") },
    { at, text: proseLine(at, `CPProvisioner: goroutine entered for ${id} (runtime=${runtime}, mode=cp)`) },
  ];
}

/** CPProvisioner.Start's success (provisioner/cp_provisioner.go), then provisionWorkspaceCP's. */
export function startedLines(
  at: number,
  id: string,
  instanceId: string,
  state: string,
  tier: number,
  runtime: string,
): LogLine[] {
  const fields = { workspace_id: id, instance_id: instanceId, state, tier, runtime };
  return [
    { at, text: proseLine(at, `CP provisioner: workspace ${id} → EC2 instance ${instanceId} (${state})`) },
    { at, text: eventLine(at, "provision.ec2_started", fields) },
    { at, text: proseLine(at, `CPProvisioner: workspace ${id} started as machine ${instanceId} via control plane`) },
  ];
}

/** CPProvisioner.Stop's success record. */
export function stoppedLine(at: number, id: string, instanceId: string): string {
  return eventLine(at, "provision.ec2_stopped", { workspace_id: id, instance_id: instanceId });
}

export function bootstrapFailedMessage(id: string, report: BootstrapReport): string {
  return `BootstrapFailed: marked ${id} failed (tail=${Buffer.byteLength(report.logTail)} bytes, err=${goQuote(report.error)})`;
}
