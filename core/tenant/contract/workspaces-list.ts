/**
 * GET /workspaces (router/router.go: wsAdmin group, AdminAuth) →
 * handlers/workspace.go (*WorkspaceHandler).List: workspaceListQuery (status != 'removed',
 * ORDER BY created_at), each row through scanWorkspaceRow, then addProvisionTimeoutMs, and
 * c.JSON(200, []map[string]interface{}) — a plain array, every object's keys sorted.
 *
 * scanWorkspaceRow, field by field: role "" → null; agent_card NULL → null, else the JSONB as
 * raw JSON (jsonb key order); url, last_sample_error, current_task "" when NULL; runtime
 * 'langgraph' when NULL; workspace_dir "" → null; parent_id *string (null); budget_limit
 * sql.NullInt64 (null); monthly_spend, x, y, collapsed 0/false when NULL; last_error_rate and
 * x, y are float64 (0, 0.6, 412.5). provision_timeout_ms only for a runtime whose template
 * declares runtime_config.provision_timeout_seconds (here: claude-code). No instance_id,
 * created_at or updated_at.
 */
import { ARCHIVIST_CARD_JSONB, LEAD_CARD_JSONB, REVIEWER_CARD_JSONB } from "./agent-cards";
import { type ContractFixture, goJson, routeJson, WS } from "./fixture";
import {
  adminAuthInvalid,
  adminAuthRequired,
  authLookupUnavailable,
  orgGuardNotFound,
  rateLimited,
} from "./middleware";
import { WRITER_SAMPLE_ERROR } from "./serial-console";

const LIST = "handlers/workspace.go (*WorkspaceHandler).List";

const lead = `{"active_tasks":1,"agent_card":${LEAD_CARD_JSONB},"budget_limit":null,"collapsed":false,"current_task":"Summarising Q2 churn interviews","id":"${WS.lead}","last_error_rate":0,"last_sample_error":"","max_concurrent_tasks":3,"monthly_spend":1840,"name":"Research Lead","parent_id":null,"provision_timeout_ms":900000,"role":"Lead researcher","runtime":"claude-code","status":"online","tier":4,"uptime_seconds":18234,"url":"http://172.31.14.87:8000","workspace_dir":null,"x":120,"y":80}`;

const writer = `{"active_tasks":0,"agent_card":null,"budget_limit":null,"collapsed":false,"current_task":"","id":"${WS.writer}","last_error_rate":0,"last_sample_error":${goJson(WRITER_SAMPLE_ERROR)},"max_concurrent_tasks":1,"monthly_spend":0,"name":"Release Notes Writer","parent_id":null,"role":"Changelog author","runtime":"hermes","status":"failed","tier":4,"uptime_seconds":0,"url":"","workspace_dir":null,"x":640,"y":80}`;

const reviewer = `{"active_tasks":1,"agent_card":${REVIEWER_CARD_JSONB},"budget_limit":5000,"collapsed":false,"current_task":"Reviewing PR #482 (payments-api)","id":"${WS.reviewer}","last_error_rate":0.6,"last_sample_error":"model provider returned 529 Overloaded (3 of 5 calls in the last minute)","max_concurrent_tasks":2,"monthly_spend":4210,"name":"Code Reviewer","parent_id":null,"role":"Code reviewer","runtime":"codex","status":"degraded","tier":3,"uptime_seconds":7412,"url":"http://172.31.9.203:8000","workspace_dir":"/workspace/payments-api","x":412.5,"y":318}`;

const archivist = `{"active_tasks":0,"agent_card":${ARCHIVIST_CARD_JSONB},"budget_limit":null,"collapsed":true,"current_task":"","id":"${WS.archivist}","last_error_rate":0,"last_sample_error":"","max_concurrent_tasks":1,"monthly_spend":372,"name":"Archivist","parent_id":null,"role":"Knowledge base curator","runtime":"crewai","status":"hibernated","tier":3,"uptime_seconds":86211,"url":"","workspace_dir":null,"x":900,"y":318}`;

const poller = `{"active_tasks":0,"agent_card":null,"budget_limit":null,"collapsed":false,"current_task":"","id":"${WS.poller}","last_error_rate":0,"last_sample_error":"","max_concurrent_tasks":1,"monthly_spend":0,"name":"Ops Laptop Poller","parent_id":null,"role":null,"runtime":"external","status":"awaiting_agent","tier":4,"uptime_seconds":0,"url":"","workspace_dir":null,"x":900,"y":80}`;

const analyst = `{"active_tasks":0,"agent_card":null,"budget_limit":null,"collapsed":false,"current_task":"","id":"${WS.analyst}","last_error_rate":0,"last_sample_error":"","max_concurrent_tasks":1,"monthly_spend":0,"name":"Data Analyst","parent_id":"${WS.lead}","role":null,"runtime":"langgraph","status":"provisioning","tier":4,"uptime_seconds":0,"url":"","workspace_dir":null,"x":40,"y":260}`;

export const listWorkspaces = {
  /** Six workspaces, oldest first: online, failed, degraded, hibernated, awaiting_agent, provisioning. */
  ok: routeJson(LIST, 200, `[${[lead, writer, reviewer, archivist, poller, analyst].join(",")}]`),
  /** No workspace yet: make([]map[string]interface{}, 0) is written as [], never null. */
  empty: routeJson(LIST, 200, "[]"),
  queryFailed: routeJson(`${LIST} (QueryContext failed)`, 500, '{"error":"query failed"}'),
  iterationFailed: routeJson(`${LIST} (rows.Err)`, 500, '{"error":"query iteration failed"}'),
  adminAuthRequired,
  adminAuthInvalid,
  authLookupUnavailable,
  orgGuardNotFound,
  rateLimited: rateLimited(17),
} satisfies Record<string, ContractFixture>;

/** The list's workspace ids, in the answer's order. */
export const LISTED_IDS = [WS.lead, WS.writer, WS.reviewer, WS.archivist, WS.poller, WS.analyst];
