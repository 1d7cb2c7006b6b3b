import type { ActionResult } from "../api/views";
import type { CpClient } from "../cp/cp-client";
import { isEc2InstanceId } from "../cp/ec2-instance-id";
import { OpsError } from "../errors";
import type { Store } from "../store/store";
import type { TenantClient } from "../tenant/tenant-client";
import type { Finding } from "./doctor";
import { reportBootstrapFailure } from "./report-bootstrap-failure";
import type { RestartCoordinator, RestartVia } from "./restart";

/** The API's own view types (core/api/views.ts), which these values are. */
export type { ActionResult };

export interface ActionDeps {
  store: Store;
  tenant: TenantClient;
  cp: CpClient | null;
  restarts: RestartCoordinator;
  /** The serial console by workspace id, for a crash report with none on file. */
  readConsole: (workspaceId: string) => Promise<string>;
  now?: () => number;
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
    case "close_binding":
      return closeBinding(f, deps);
    case "report_bootstrap_failure": {
      const r = await reportBootstrapFailure(deps.store, deps.tenant, f.workspace_id, {
        readConsole: deps.readConsole,
        ...(deps.now ? { now: deps.now } : {}),
      });
      return r.changed
        ? "reported: the tenant marked the workspace failed"
        : "the tenant had already moved on (it was no longer provisioning): nothing changed";
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

/**
 * Closes the open binding whose instance id is not an EC2 id. There is nothing to re-sync it from:
 * the tenant API has no instance ids (docs/contracts.md §3), so the real one comes from its server log.
 */
function closeBinding(f: Finding, deps: ActionDeps): string {
  const open = deps.store.bindings.resolveInstanceId(f.workspace_id);
  if (!open || isEc2InstanceId(open)) {
    throw new OpsError("Conflict", `the binding of ${f.workspace_id} changed since the doctor ran: run it again`);
  }
  deps.store.bindings.unbind(f.workspace_id, open, (deps.now ?? Date.now)());
  return "closed the malformed binding: import the tenant's server log (molecule-ops import-log FILE) to learn the real instance";
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
