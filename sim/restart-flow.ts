import { goQuote } from "./go-json-body";
import type { SimWorld } from "./state";
import { provisioningPayload } from "./status-events";
import { type RestartTemplateInput, resolveRestartTemplate } from "./templates";
import { startOnCp, stopWithRetry } from "./tenant-provisioner";
import type { WorkspaceRecord } from "./workspace-record";

export interface RestartBody extends RestartTemplateInput {
  /** ?reset=true or {"reset": true}: discard the claude-sessions volume (Docker-only; ignored on CP). */
  reset: boolean;
}

/**
 * isParentPaused (handlers/workspace_restart.go): the name of the nearest paused ancestor, or
 * null. Only ancestors count: a paused workspace itself may be restarted.
 */
export function pausedAncestor(world: SimWorld, record: WorkspaceRecord): string | null {
  let parentId = record.parentId;
  for (let depth = 0; parentId !== null && depth < 1000; depth++) {
    const parent = world.find(parentId);
    if (!parent) return null;
    if (parent.status === "paused") return parent.name;
    parentId = parent.parentId;
  }
  return null;
}

/**
 * Restart after its checks: provisioning at once (url '', WORKSPACE_PROVISIONING), the answer
 * `{status: "provisioning", config_dir, reset_session}`, and in the background
 * RestartWorkspaceAutoOpts: the CP Stop with retries, then a new machine. There is no
 * "already restarting" refusal: a second Restart runs its own Stop and Start.
 */
export function beginRestart(
  world: SimWorld,
  record: WorkspaceRecord,
  body: RestartBody,
): { config_dir: string; reset_session: boolean } {
  const at = world.clock.now();
  world.agentGone(record);
  record.url = "";
  world.changeStatus(record, "provisioning", provisioningPayload(record));
  const template = resolveRestartTemplate(record.name, record.runtime, body);
  for (const note of template.notes) world.log.printf(at, note);
  world.log.printf(
    at,
    template.path === ""
      ? `Restart: reusing existing config volume for ${record.name} (${record.id})`
      : `Restart: using template ${template.path} for ${record.name} (${record.id})`,
  );
  world.log.printf(at, `Restart: workspace ${record.name} (${record.id}) runtime=${goQuote(record.runtime)}`);
  if (body.reset) {
    world.log.printf(at, `Restart: reset=true — will discard claude-sessions volume for ${record.name} (${record.id})`);
  }
  // The Stop leg may outlast the caller's HTTP timeout (a CP terminate after a redeploy): it runs
  // detached from the request, as the handler's goroutine does.
  world.timers.after(0, () => stopWithRetry(world, record, "RestartWorkspaceAuto", () => startOnCp(world, record)));
  return { config_dir: template.label, reset_session: body.reset };
}

/**
 * The offline handler's RestartByID → runRestartCycle: skipped for removed, paused, hibernated
 * and external workspaces and under a paused ancestor; otherwise restart.pre_stop, the Stop with
 * retries, provisioning, provision.start {sync: true} and a new machine.
 */
export function autoRestart(world: SimWorld, record: WorkspaceRecord): void {
  if (["removed", "paused", "hibernated"].includes(record.status)) return;
  if (record.runtime === "external" || pausedAncestor(world, record) !== null) return;
  const at = world.clock.now();
  world.log.printf(
    at,
    `Auto-restart: restarting ${record.name} (${record.id}) runtime=${goQuote(record.runtime)} (was: ${record.status})`,
  );
  world.log.event(at, "restart.pre_stop", { workspace_id: record.id, backend: "cp" });
  stopWithRetry(world, record, "Auto-restart", () => {
    record.url = "";
    world.changeStatus(record, "provisioning", provisioningPayload(record));
    world.log.event(world.clock.now(), "provision.start", {
      workspace_id: record.id,
      name: record.name,
      tier: record.tier,
      runtime: record.runtime,
      template: "",
      sync: true,
    });
    startOnCp(world, record);
  });
}
