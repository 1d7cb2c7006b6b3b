/**
 * GET /workspaces/:id/console (router/router.go: wsAdmin group, AdminAuth) →
 * handlers/workspace_bootstrap.go (*WorkspaceHandler).Console:
 * - no CP provisioner (self-hosted) → 501 {"error":"console output unavailable on this deployment (no control plane)"};
 * - provisioner/cp_provisioner.go (*CPProvisioner).GetConsoleOutput failed (transport, non-2xx
 *   from the CP — an unknown workspace or one without an EC2 too, since Console checks neither)
 *   → 502 {"error":"control plane returned an error fetching console output"};
 * - else 200 {"output": <string>}. GetConsoleOutput decodes the CP's `output` into a Go string,
 *   so the platform always sends a string: "" when the CP had none (its null decodes to "").
 */
import { type ContractFixture, goJson, routeJson } from "./fixture";
import { adminAuthInvalid, orgGuardNotFound } from "./middleware";
import { WRITER_CONSOLE } from "./serial-console";

const CONSOLE = "handlers/workspace_bootstrap.go (*WorkspaceHandler).Console";

export const workspaceConsole = {
  /** The crashed workspace's serial console: CRLF, colour sequences, a Python traceback. */
  crashed: routeJson(CONSOLE, 200, `{"output":${goJson(WRITER_CONSOLE)}}`),
  /** An instance that has printed nothing yet. */
  empty: routeJson(CONSOLE, 200, '{"output":""}'),
  /** Not a platform answer: the client must still read it as "nothing yet". */
  nullOutput: {
    ...routeJson(CONSOLE, 200, '{"output":null}'),
    synthetic: "Console sends a Go string, never null; a proxy or a later platform might",
  },
  noControlPlane: routeJson(
    `${CONSOLE} (cpProv == nil)`,
    501,
    '{"error":"console output unavailable on this deployment (no control plane)"}',
  ),
  controlPlaneFailed: routeJson(
    `${CONSOLE} (GetConsoleOutput error)`,
    502,
    '{"error":"control plane returned an error fetching console output"}',
  ),
  adminAuthInvalid,
  orgGuardNotFound,
} satisfies Record<string, ContractFixture>;
