/**
 * POST /admin/workspaces/:id/bootstrap-failed {error, log_tail} (router/router.go: wsAdmin
 * group, AdminAuth) → handlers/workspace_bootstrap.go (*WorkspaceHandler).BootstrapFailed:
 * - c.ShouldBindJSON fails (not JSON, or a field of another type) → 400 {"error":"invalid request body"};
 * - error is TrimSpace'd ("" becomes "bootstrap failed — see log_tail"), log_tail over 8192 bytes
 *   keeps its last 8192 behind "...(truncated)...\n";
 * - UPDATE ... SET status 'failed', last_sample_error WHERE id AND status = 'provisioning':
 *   DB error → 500 {"error":"db update failed"} (a non-UUID id too: the cast fails);
 *   RowsAffected error or 0 rows (not provisioning, or no such workspace) → 200 {"no_change":true,"ok":true};
 *   1 row → WORKSPACE_PROVISION_FAILED {error, log_tail, source:"bootstrap_watcher"} recorded and 200 {"ok":true}.
 */
import { type ContractFixture, routeJson } from "./fixture";
import { adminAuthInvalid, orgGuardNotFound, rateLimited } from "./middleware";

const BOOTSTRAP = "handlers/workspace_bootstrap.go (*WorkspaceHandler).BootstrapFailed";

export const bootstrapFailed = {
  marked: routeJson(BOOTSTRAP, 200, '{"ok":true}'),
  noChange: routeJson(`${BOOTSTRAP} (affected == 0)`, 200, '{"no_change":true,"ok":true}'),
  invalidBody: routeJson(`${BOOTSTRAP} (ShouldBindJSON)`, 400, '{"error":"invalid request body"}'),
  updateFailed: routeJson(`${BOOTSTRAP} (ExecContext error)`, 500, '{"error":"db update failed"}'),
  adminAuthInvalid,
  orgGuardNotFound,
  rateLimited: rateLimited(23),
} satisfies Record<string, ContractFixture>;
