/**
 * POST /workspaces/:id/restart (router/router.go: wsAuth group, WorkspaceAuth — ADMIN_TOKEN is
 * accepted as the bearer) → handlers/workspace_restart.go (*WorkspaceHandler).Restart, in order:
 * - SELECT status, name, tier, runtime: no row → 404 {"error":"workspace not found"}; any other
 *   error → 500 {"error":"lookup failed"} (a non-UUID id lands here: Postgres refuses the cast);
 * - isParentPaused (any ancestor) → 409 {"error":"parent workspace \"<name>\" is paused — resume it first"};
 * - runtime external → 200 {message, runtime:"external", status:"noop"}, nothing else done;
 * - no provisioner (neither CP nor Docker) → 503 {"error":"provisioner not available"};
 * - else status provisioning, WORKSPACE_PROVISIONING recorded, the stop + provision dispatched in
 *   a goroutine, and 200 {config_dir, reset_session, status:"provisioning"}; config_dir is
 *   resolveRestartTemplate's label (handlers/restart_template.go): "existing-volume" unless the
 *   body asked for a template (we send {}), reset_session is ?reset=true or body.reset.
 */
import { type ContractFixture, routeJson } from "./fixture";
import { orgGuardNotFound, rateLimited, workspaceAuthInvalid, workspaceAuthMissing } from "./middleware";

const RESTART = "handlers/workspace_restart.go (*WorkspaceHandler).Restart";

export const restartWorkspace = {
  provisioning: routeJson(
    RESTART,
    200,
    '{"config_dir":"existing-volume","reset_session":false,"status":"provisioning"}',
  ),
  external: routeJson(
    `${RESTART} (runtime external)`,
    200,
    '{"message":"external workspaces are operator-driven — restart your local poller; platform has nothing to restart","runtime":"external","status":"noop"}',
  ),
  notFound: routeJson(`${RESTART} (sql.ErrNoRows)`, 404, '{"error":"workspace not found"}'),
  parentPaused: routeJson(
    `${RESTART} (isParentPaused)`,
    409,
    String.raw`{"error":"parent workspace \"Research Lead\" is paused — resume it first"}`,
  ),
  noProvisioner: routeJson(`${RESTART} (!HasProvisioner)`, 503, '{"error":"provisioner not available"}'),
  lookupFailed: routeJson(`${RESTART} (lookup error)`, 500, '{"error":"lookup failed"}'),
  workspaceAuthMissing,
  workspaceAuthInvalid,
  orgGuardNotFound,
  rateLimited: rateLimited(9),
} satisfies Record<string, ContractFixture>;

/** The platform's words for the external no-op, as the client must pass them on. */
export const EXTERNAL_NOOP_MESSAGE =
  "external workspaces are operator-driven — restart your local poller; platform has nothing to restart";
