import type { CpClient } from "../cp/cp-client";
import { OpsError } from "../errors";
import type { TenantClient } from "../tenant/tenant-client";

export type ConsoleReader = (workspaceId: string, opts?: { signal?: AbortSignal }) => Promise<string>;

/**
 * The EC2 serial console of a workspace, by workspace id: no instance id is needed on either
 * route (docs/contracts.md §3). Through the CP's admin route when a CP is configured (it answers with its own
 * status when the read fails), else through the tenant, which asks its CP with its own
 * credentials (handlers/workspace_bootstrap.go Console).
 */
export function consoleReader(
  cp: Pick<CpClient, "console"> | null,
  tenant: Pick<TenantClient, "console"> | null,
): ConsoleReader {
  if (cp) return (id, opts) => cp.console(id, opts);
  if (tenant) return (id, opts) => tenant.console(id, opts);
  return async () => {
    throw new OpsError("NoBackend", "no control plane and no tenant platform are configured to read the console");
  };
}
