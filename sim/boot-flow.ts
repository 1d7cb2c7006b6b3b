import { logTail } from "../core/tenant/log-tail";
import { reportBootstrapFailure } from "./bootstrap-failure";
import { TAIL_CAP_BYTES } from "./bootstrap-report";
import { jsonbOrder } from "./go-json-body";
import { type InstanceRecord, isLive } from "./instance-table";
import { CP_IP } from "./seed-history";
import { agentCardFor } from "./seed-vocabulary";
import type { SimWorld } from "./state";
import { PROVISION_TIMEOUT_ERROR, registerPayload } from "./status-events";
import { provisionTimeoutSeconds } from "./templates";
import type { WorkspaceRecord } from "./workspace-record";

/**
 * A machine booting a workspace's agent. It ends one of three ways, as on the platform:
 * - the agent registers (POST /registry/register): url, agent card, online;
 * - the runtime crashes: the CP's bootstrap watcher reads RUNTIME CRASHED on the serial console
 *   and POSTs bootstrap-failed (workspace_bootstrap.go), which fails it only while provisioning;
 * - the machine is gone before the agent registered: the provision-timeout sweep fails it.
 */
export function startBoot(world: SimWorld, record: WorkspaceRecord, instance: InstanceRecord): void {
  world.timers.cancel(record.bootTimer);
  record.agentInstanceId = instance.data.instance_id;
  scheduleBoot(world, record, instance, world.options.timing.provisioningMs);
}

export function scheduleBoot(world: SimWorld, record: WorkspaceRecord, instance: InstanceRecord, ms: number): void {
  record.bootTimer = world.timers.after(ms, () => finishBoot(world, record, instance));
}

function finishBoot(world: SimWorld, record: WorkspaceRecord, instance: InstanceRecord): void {
  record.bootTimer = undefined;
  // Another boot, a restart or a test took over meanwhile: this one no longer matters.
  if (record.agentInstanceId !== instance.data.instance_id) return;
  if (instance.data.state === "pending") {
    const left = instance.startedMs + world.options.timing.pendingMs - world.clock.now();
    scheduleBoot(world, record, instance, Math.max(10, left));
    return;
  }
  record.agentInstanceId = null;
  if (!isLive(instance.data.state)) provisionTimedOut(world, record);
  else if (instance.data.crash) watcherReports(world, record, instance);
  else register(world, record, instance);
}

/** POST /registry/register: status online whatever it was, except a removed row (#73 guard). */
function register(world: SimWorld, record: WorkspaceRecord, instance: InstanceRecord): void {
  if (record.status === "removed") return;
  const url = `http://${instance.data.private_ip}:8000`;
  record.agentInstanceId = instance.data.instance_id;
  record.url = url;
  record.agentCard = jsonbOrder(agentCardFor(record.name, record.runtime, record.role, url));
  record.onlineSince = world.clock.now();
  // The agent's heartbeats report its own error state from now on.
  record.lastErrorRate = 0;
  record.lastSampleError = "";
  world.changeStatus(record, "online", registerPayload(record));
}

function watcherReports(world: SimWorld, record: WorkspaceRecord, instance: InstanceRecord): void {
  const consoleText = world.consoleOf(instance);
  const lastLine = consoleText.trimEnd().split("\r\n").at(-1) ?? "";
  const tail = logTail(consoleText, TAIL_CAP_BYTES);
  reportBootstrapFailure(world, record.id, `RUNTIME CRASHED: ${lastLine}`, tail);
  world.log.access({
    at: world.clock.now(),
    status: 200,
    latencyNs: 2_400_000n,
    clientIp: CP_IP,
    method: "POST",
    path: `/admin/workspaces/${record.id}/bootstrap-failed`,
  });
}

/** registry/provisiontimeout.go: a boot whose agent never registered is failed by the sweep. */
function provisionTimedOut(world: SimWorld, record: WorkspaceRecord): void {
  if (record.status !== "provisioning") return;
  const timeoutSecs = provisionTimeoutSeconds(record.runtime) || 600;
  record.lastSampleError = PROVISION_TIMEOUT_ERROR;
  world.log.printf(
    world.clock.now(),
    `Provision-timeout sweep: ${record.id} (runtime=${JSON.stringify(record.runtime)}) stuck in provisioning > ${timeoutSecs / 60}m0s — marked failed`,
  );
  world.changeStatus(record, "failed", {
    error: PROVISION_TIMEOUT_ERROR,
    timeout_secs: timeoutSecs,
    runtime: record.runtime,
    source: "provision_timeout_sweep",
  });
}
