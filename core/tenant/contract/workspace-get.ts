/**
 * GET /workspaces/:id (router/router.go: on the root router, no auth — the org guard still
 * applies) → handlers/workspace.go (*WorkspaceHandler).Get:
 * - validateWorkspaceID (uuid.Parse) fails → 400 {"error":"invalid workspace ID"}, before the DB;
 * - no row → 404 {"error":"workspace not found"}; other DB error → 500 {"error":"query failed"};
 * - status 'removed' (without ?include_removed=true) → 410 {error, hint, id, removed_at}, where
 *   removed_at is the row's updated_at, or null when that second SELECT found nothing;
 * - else the list's object (scanWorkspaceRow) less budget_limit, monthly_spend, current_task,
 *   last_sample_error and workspace_dir, plus last_outbound_at (time or null) and
 *   provision_timeout_ms (addProvisionTimeoutMs).
 */
import { LEAD_CARD_JSONB } from "./agent-cards";
import { type ContractFixture, routeJson, WS } from "./fixture";
import { orgGuardNotFound, rateLimited } from "./middleware";

const GET = "handlers/workspace.go (*WorkspaceHandler).Get";

export const getWorkspace = {
  /** Online, with an agent card and a last outbound A2A call. */
  lead: routeJson(
    GET,
    200,
    `{"active_tasks":1,"agent_card":${LEAD_CARD_JSONB},"collapsed":false,"id":"${WS.lead}","last_error_rate":0,"last_outbound_at":"2026-05-05T19:33:07.914522Z","max_concurrent_tasks":3,"name":"Research Lead","parent_id":null,"provision_timeout_ms":900000,"role":"Lead researcher","runtime":"claude-code","status":"online","tier":4,"uptime_seconds":18234,"url":"http://172.31.14.87:8000","x":120,"y":80}`,
  ),
  /** Failed: the reason (last_sample_error) is stripped here; only the list carries it. */
  writer: routeJson(
    GET,
    200,
    `{"active_tasks":0,"agent_card":null,"collapsed":false,"id":"${WS.writer}","last_error_rate":0,"last_outbound_at":null,"max_concurrent_tasks":1,"name":"Release Notes Writer","parent_id":null,"role":"Changelog author","runtime":"hermes","status":"failed","tier":4,"uptime_seconds":0,"url":"","x":640,"y":80}`,
  ),
  /** A child workspace, provisioning, role unset. */
  analyst: routeJson(
    GET,
    200,
    `{"active_tasks":0,"agent_card":null,"collapsed":false,"id":"${WS.analyst}","last_error_rate":0,"last_outbound_at":null,"max_concurrent_tasks":1,"name":"Data Analyst","parent_id":"${WS.lead}","role":null,"runtime":"langgraph","status":"provisioning","tier":4,"uptime_seconds":0,"url":"","x":40,"y":260}`,
  ),
  invalidId: routeJson(`${GET} (validateWorkspaceID)`, 400, '{"error":"invalid workspace ID"}'),
  notFound: routeJson(`${GET} (sql.ErrNoRows)`, 404, '{"error":"workspace not found"}'),
  queryFailed: routeJson(`${GET} (scan error)`, 500, '{"error":"query failed"}'),
  removed: routeJson(
    `${GET} (status removed)`,
    410,
    `{"error":"workspace removed","hint":"Regenerate workspace + token from the canvas → Tokens tab","id":"${WS.removed}","removed_at":"2026-05-04T22:17:45.310846Z"}`,
  ),
  /** The row vanished between the two SELECTs: removedAt stayed the zero time, sent as null. */
  removedNoTime: routeJson(
    `${GET} (status removed, removedAt.IsZero)`,
    410,
    `{"error":"workspace removed","hint":"Regenerate workspace + token from the canvas → Tokens tab","id":"${WS.removedChild}","removed_at":null}`,
  ),
  orgGuardNotFound,
  rateLimited: rateLimited(4),
} satisfies Record<string, ContractFixture>;
