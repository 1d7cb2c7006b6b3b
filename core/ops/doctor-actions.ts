import type { CpClient } from "../cp/cp-client";
import { isEc2InstanceId } from "../cp/ec2-instance-id";
import { OpsError } from "../errors";
import type { Store } from "../store/store";
import type { TenantClient } from "../tenant/tenant-client";
import type { Finding } from "./doctor";
import { reportBootstrapFailure } from "./report-bootstrap-failure";
import type { RestartCoordinator, RestartVia } from "./restart";

export interface ActionDeps {
  store: Store;
  tenant: TenantClient;
  cp: CpClient | null;
  restarts: RestartCoordinator;
  now?: () => number;
}

export interface ActionResult {
  finding: string;
  kind: string;
  workspace_id: string;
  done: boolean;
  detail: string;
}

/**
 * Carries out a finding's suggested action. Callers ask a person first (the CLI's --yes, the UI's
 * confirm dialog); each action is written to the timeline as `doctor.action` with its outcome, so
 * what was done about a finding can be exported with the rest.
 */
export async function actOnFinding(f: Finding, deps: ActionDeps, via: RestartVia = "tenant"): Promise<ActionResult> {
  if (!f.action) throw new OpsError("Input", `finding ${f.id} (${f.kind}) has no action: it asks a person to look`);
  let detail: string;
  let done = true;
  try {
    detail = await run(f, deps, via);
  } catch (error) {
    done = false;
    detail = error instanceof OpsError ? error.message : "internal error";
    journal(deps, f, done, detail);
    throw error instanceof OpsError ? error : new OpsError("Input", detail);
  }
  journal(deps, f, done, detail);
  return { finding: f.id, kind: f.action.kind, workspace_id: f.workspace_id, done, detail };
}

async function run(f: Finding, deps: ActionDeps, via: RestartVia): Promise<string> {
  switch (f.action?.kind) {
    case "stop_instance": {
      if (!deps.cp)
        throw new OpsError("NoBackend", "no control plane is configured: the instance cannot be stopped from here");
      if (!f.instance_id) throw new OpsError("Input", "the finding names no instance");
      const r = await deps.cp.stop(f.workspace_id, { instanceId: f.instance_id });
      return `stopped ${r.instanceId}`;
    }
    case "resync_binding":
      return resyncBinding(f.workspace_id, deps);
    case "report_bootstrap_failure": {
      const r = await reportBootstrapFailure(deps.store, deps.tenant, f.workspace_id, deps.now);
      return r.changed === false
        ? `the tenant had already moved on (status ${r.status || "unknown"})`
        : `reported; the tenant says ${r.status || "(no status)"}`;
    }
    case "restart": {
      const out = await deps.restarts.restart({ workspaceId: f.workspace_id, via }).done;
      if (out.outcome !== "done") throw new OpsError("Upstream", out.error ?? `restart ${out.outcome}`);
      return `restarted via ${via}`;
    }
    default:
      throw new OpsError("Input", "unknown action");
  }
}

/** The tenant's instance_id is the source of truth (the seed's resolveInstanceID reads it). */
async function resyncBinding(workspaceId: string, deps: ActionDeps): Promise<string> {
  const ws = await deps.tenant.getWorkspace(workspaceId);
  const at = (deps.now ?? Date.now)();
  const open = deps.store.bindings.resolveInstanceId(workspaceId);
  if (ws.instanceId && !isEc2InstanceId(ws.instanceId)) {
    throw new OpsError(
      "Conflict",
      `the tenant itself holds a malformed instance id for ${workspaceId}: fix the workspace row on the platform, then re-sync`,
    );
  }
  if (ws.instanceId) {
    deps.store.bindings.bind(workspaceId, ws.instanceId, "tenant", null, at);
    return `bound ${ws.instanceId} from the tenant`;
  }
  if (open) deps.store.bindings.unbind(workspaceId, open, at);
  return "the tenant has no instance for it: the malformed binding is closed";
}

function journal(deps: ActionDeps, f: Finding, done: boolean, detail: string): void {
  deps.store.recordConsoleEvent(
    "doctor.action",
    {
      workspace_id: f.workspace_id,
      instance_id: f.instance_id,
      finding: f.kind,
      action: f.action?.kind,
      done,
      detail,
    },
    new Date((deps.now ?? Date.now)()),
  );
}
