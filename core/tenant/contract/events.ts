/**
 * GET /events and GET /events/:workspaceId (router/router.go: eventsAdmin group, AdminAuth) →
 * handlers/events.go (*EventsHandler).List / ListByWorkspace: the newest 100 rows of
 * structure_events (ORDER BY created_at DESC LIMIT 100), each written as
 * map{created_at time.Time, event_type, id, payload json.RawMessage, workspace_id *string}:
 * sorted keys, created_at in Postgres microseconds, workspace_id null for a NULL column, payload
 * the JSONB as Postgres prints it (jsonb key order, compacted by encoding/json; null for NULL).
 * A row that fails to scan is skipped. [] when there is none; 500 {"error":"query failed"} when
 * the query fails (ListByWorkspace with a non-UUID id: Postgres refuses the cast).
 *
 * The rows are written by events/broadcaster.go (*Broadcaster).RecordAndBroadcast, whose
 * payloads are the call sites' maps (json.Marshal, sorted) stored as JSONB, hence reordered:
 * - WORKSPACE_PROVISIONING {name, tier, runtime}: handlers/workspace.go Create,
 *   handlers/workspace_restart.go Restart / runRestartCycle / Resume;
 * - WORKSPACE_ONLINE: handlers/registry.go Register {url, agent_card, delivery_mode};
 *   evaluateStatus {} (back from degraded or offline) or {recovered_from} (from provisioning or
 *   awaiting_agent); handlers/workspace.go Create (external with a URL) {name, external};
 * - WORKSPACE_DEGRADED: handlers/registry.go evaluateStatus {error_rate, sample_error} or
 *   {runtime_state:"wedged", sample_error};
 * - WORKSPACE_PROVISION_FAILED: handlers/workspace_bootstrap.go BootstrapFailed {error, log_tail,
 *   source:"bootstrap_watcher"}; registry/provisiontimeout.go {error, runtime, source:
 *   "provision_timeout_sweep", timeout_secs}; handlers/workspace_provision_shared.go
 *   markProvisionFailed {error, …};
 * - WORKSPACE_AWAITING_AGENT {name, external} (Create), WORKSPACE_HIBERNATED {name, tier}
 *   (HibernateWorkspace), WORKSPACE_PAUSED {name} (Pause), WORKSPACE_REMOVED {cascade_deleted}
 *   for the deleted workspace and {} for each descendant (handlers/workspace_crud.go Delete);
 * - others: AGENT_* (handlers/agent.go), DELEGATION_* (handlers/delegation.go), CRON_*
 *   (scheduler/scheduler.go), APPROVAL_*, CHANNEL_MESSAGE, EXTERNAL_CREDENTIALS_ROTATED.
 */
import { LEAD_CARD_JSONB } from "./agent-cards";
import { type ContractFixture, goJson, routeJson, WS } from "./fixture";
import { adminAuthInvalid, orgGuardNotFound, rateLimited } from "./middleware";
import { WRITER_CRASH_ERROR, WRITER_LOG_TAIL } from "./serial-console";

const LIST = "handlers/events.go (*EventsHandler).List";
const BY_WORKSPACE = "handlers/events.go (*EventsHandler).ListByWorkspace";

const TIMEOUT_ERROR =
  "provisioning timed out — container started but never called /registry/register. Check container logs and network connectivity to the platform.";

function row(createdAt: string, eventType: string, id: string, payload: string, workspaceId: string | null): string {
  const ws = workspaceId === null ? "null" : `"${workspaceId}"`;
  return `{"created_at":"${createdAt}","event_type":"${eventType}","id":"${id}","payload":${payload},"workspace_id":${ws}}`;
}

/** Event rows, newest first; the ids name what the tests look for. */
export const EVENT = {
  writerCrashed: row(
    "2026-05-05T19:41:58.204117Z",
    "WORKSPACE_PROVISION_FAILED",
    "b3e1f7a2-4c9d-4e6b-8a1f-2d7c5e9b0a31",
    `{"error":${goJson(WRITER_CRASH_ERROR)},"source":"bootstrap_watcher","log_tail":${goJson(WRITER_LOG_TAIL)}}`,
    WS.writer,
  ),
  analystProvisioning: row(
    "2026-05-05T19:40:12.77031Z",
    "WORKSPACE_PROVISIONING",
    "6a2d9c4e-1f7b-4b3a-9e8d-0c5f2a7b1d62",
    '{"name":"Data Analyst","tier":4,"runtime":"langgraph"}',
    WS.analyst,
  ),
  reviewerDegraded: row(
    "2026-05-05T19:38:45.019283Z",
    "WORKSPACE_DEGRADED",
    "f4c8a1e6-3b2d-4f9e-a7c1-5e9b3d0f8a24",
    '{"error_rate":0.6,"sample_error":"model provider returned 529 Overloaded (3 of 5 calls in the last minute)"}',
    WS.reviewer,
  ),
  leadDelegated: row(
    "2026-05-05T19:37:02.655901Z",
    "DELEGATION_SENT",
    "0d7b3f9a-8e2c-4a5d-b1f6-9c4e7a2d5b18",
    `{"target_id":"${WS.analyst}","task_preview":"Pull the Q2 churn cohort from the warehouse and chart it by plan tier","delegation_id":"7c2e9f4a-1d6b-4a8e-b5c3-0f9d2e7a4b16"}`,
    WS.lead,
  ),
  writerProvisioning: row(
    "2026-05-05T19:36:20.48113Z",
    "WORKSPACE_PROVISIONING",
    "7e9a1c3f-5d6b-4e2a-8f0c-1b4d9e6a3c57",
    '{"name":"Release Notes Writer","tier":4,"runtime":"hermes"}',
    WS.writer,
  ),
  leadRegistered: row(
    "2026-05-05T19:30:02.500461Z",
    "WORKSPACE_ONLINE",
    "c2f5b8d1-9a4e-4c7f-b3d6-8e1a5c9f2b40",
    `{"url":"http://172.31.14.87:8000","agent_card":${LEAD_CARD_JSONB},"delivery_mode":"push"}`,
    WS.lead,
  ),
  archivistHibernated: row(
    "2026-05-05T19:05:00.6182Z",
    "WORKSPACE_HIBERNATED",
    "4b6e0a9d-2c8f-4d1b-9a5e-3f7c0b8d6e92",
    '{"name":"Archivist","tier":3}',
    WS.archivist,
  ),
  reviewerRecovered: row(
    "2026-05-05T18:55:10.004021Z",
    "WORKSPACE_ONLINE",
    "9f1c7e3b-6a0d-4b8e-a2c9-7d5f1e4b0a63",
    "{}",
    WS.reviewer,
  ),
  writerTimedOut: row(
    "2026-05-05T18:50:07.392655Z",
    "WORKSPACE_PROVISION_FAILED",
    "2a8d4f6c-0e3b-4a9d-8c7e-6b2f9a1d4e05",
    `{"error":${goJson(TIMEOUT_ERROR)},"source":"provision_timeout_sweep","runtime":"hermes","timeout_secs":600}`,
    WS.writer,
  ),
  archivistUp: row(
    "2026-05-05T18:41:33.87002Z",
    "WORKSPACE_ONLINE",
    "e6c0b2a8-7f1d-4e5c-9b3a-0a8e6d4c2f71",
    '{"recovered_from":"provisioning"}',
    WS.archivist,
  ),
  pollerAwaiting: row(
    "2026-05-05T18:40:05.266378Z",
    "WORKSPACE_AWAITING_AGENT",
    "5c3a9e7f-1b4d-4f6a-8e2c-4d0b7f3a9c86",
    '{"name":"Ops Laptop Poller","external":true}',
    WS.poller,
  ),
  pollerCreated: row(
    "2026-05-05T18:39:51.731209Z",
    "WORKSPACE_PROVISIONING",
    "8d0f6b4a-3e9c-4b2d-a5f8-1c7e3b9d0a42",
    '{"name":"Ops Laptop Poller","tier":4,"runtime":"external"}',
    WS.poller,
  ),
  writerCreated: row(
    "2026-05-05T18:35:02.440187Z",
    "WORKSPACE_PROVISIONING",
    "1e7c5a3d-9f2b-4c8e-b0d4-6a2f8c1e7b93",
    '{"name":"Release Notes Writer","tier":4,"runtime":"hermes"}',
    WS.writer,
  ),
  removed: row(
    "2026-05-05T18:20:14.935512Z",
    "WORKSPACE_REMOVED",
    "a9b3d1f5-7c4e-4a0b-9d6f-2e8a4c0b6d17",
    '{"cascade_deleted":1}',
    WS.removed,
  ),
  removedChild: row(
    "2026-05-05T18:20:14.902876Z",
    "WORKSPACE_REMOVED",
    "3d5f9b1e-4a7c-4e3d-8b2a-9f1c5d7e3a28",
    "{}",
    WS.removedChild,
  ),
  analystAgent: row(
    "2026-05-05T18:02:49.51Z",
    "AGENT_ASSIGNED",
    "6f2b8e4c-0d9a-4f1e-a3b7-5c9d1f6a0e84",
    '{"model":"openai/gpt-4.1","agent_id":"d3b7f1a9-5e2c-4c8d-a6f0-9b1e4d7c2a35"}',
    WS.analyst,
  ),
  /**
   * workspace_id and payload are nullable columns (migrations/003_events.sql) scanned into
   * *string and json.RawMessage, so the handler writes null for both. No writer at 83454e5efd
   * leaves them NULL (RecordAndBroadcast always passes a workspace id and a marshalled payload):
   * this is an older row, or one written by hand.
   */
  orgLevel: row("2026-05-05T17:12:00.083391Z", "ORG_IMPORTED", "b0a4c8e2-5f3d-4b9c-9e1a-8d6f2b4c0a59", "null", null),
} as const;

const ALL = Object.values(EVENT);
const WRITER_ROWS = [EVENT.writerCrashed, EVENT.writerProvisioning, EVENT.writerTimedOut, EVENT.writerCreated];

export const listEvents = {
  ok: routeJson(LIST, 200, `[${ALL.join(",")}]`),
  empty: routeJson(LIST, 200, "[]"),
  queryFailed: routeJson(`${LIST} (QueryContext failed)`, 500, '{"error":"query failed"}'),
  adminAuthInvalid,
  orgGuardNotFound,
  rateLimited: rateLimited(2),
} satisfies Record<string, ContractFixture>;

export const listWorkspaceEvents = {
  /** GET /events/<WS.writer>: its own rows only, newest first. */
  writer: routeJson(BY_WORKSPACE, 200, `[${WRITER_ROWS.join(",")}]`),
  /** A workspace with no event (or an unknown UUID). */
  empty: routeJson(BY_WORKSPACE, 200, "[]"),
  /** A non-UUID id: the uuid cast fails in Postgres. */
  queryFailed: routeJson(`${BY_WORKSPACE} (QueryContext failed)`, 500, '{"error":"query failed"}'),
  orgGuardNotFound,
} satisfies Record<string, ContractFixture>;
