/**
 * GET /ws text frames (router/router.go: root router, the org guard applies; handlers/socket.go
 * (*SocketHandler).HandleConnect upgrades a canvas client — no X-Workspace-ID — which then gets
 * every message). Each frame is ws/hub.go (*Hub).Broadcast's json.Marshal(models.WSMessage):
 * struct field order {event, workspace_id, timestamp, payload}, workspace_id a plain string,
 * timestamp time.Now().UTC() at broadcast (RFC3339Nano, up to nine digits), payload the call
 * site's map marshalled by events/broadcaster.go (sorted keys; json.RawMessage values inside it
 * — an agent card, A2A bodies — keep the order they were sent in). No trailing newline.
 *
 * Recorded events (RecordAndBroadcast) are pushed with the broadcast time, which is not the
 * created_at GET /events shows for the same row (Postgres's now() at the INSERT, taken before
 * the broadcast and on another clock), and with the payload's keys sorted rather than in jsonb
 * order. Broadcast-only events (BroadcastOnly) are never stored.
 */
import { LEAD_CARD_SENT } from "./agent-cards";
import { goJson, WS } from "./fixture";
import { WRITER_CRASH_ERROR, WRITER_LOG_TAIL } from "./serial-console";

export interface WsFixture {
  source: string;
  /** The text frame, exactly. */
  frame: string;
  /** For a recorded event: the matching row of GET /events (events.ts EVENT key). */
  listedAs?: string;
}

function frame(event: string, workspaceId: string, timestamp: string, payload: string): string {
  return `{"event":"${event}","workspace_id":"${workspaceId}","timestamp":"${timestamp}","payload":${payload}}`;
}

/** A2A JSON-RPC bodies of one canvas chat turn (handlers/a2a_proxy_helpers.go logA2ASuccess). */
const A2A_REQUEST = `{"jsonrpc":"2.0","id":"c0f3a9e2-6b1d-4e7a-8f5c-2d9b4a1e6c73","method":"message/send","params":{"message":{"role":"user","parts":[{"kind":"text","text":"What drove churn in Q2?"}],"messageId":"m-7d2e9a41"}}}`;
const A2A_RESPONSE = String.raw`{"jsonrpc":"2.0","id":"c0f3a9e2-6b1d-4e7a-8f5c-2d9b4a1e6c73","result":{"kind":"message","messageId":"a-51c8e0f2","role":"agent","parts":[{"kind":"text","text":"Churn rose from 4.1% to 6.3% in Q2 -\u003e mostly pricing \u0026 onboarding friction on the Team plan."}]}}`;

export const wsMessages = {
  /** events/broadcaster.go RecordAndBroadcast, from handlers/workspace_bootstrap.go BootstrapFailed. */
  writerCrashed: {
    source: "events/broadcaster.go (*Broadcaster).RecordAndBroadcast ← handlers/workspace_bootstrap.go BootstrapFailed",
    frame: frame(
      "WORKSPACE_PROVISION_FAILED",
      WS.writer,
      "2026-05-05T19:41:58.209342918Z",
      `{"error":${goJson(WRITER_CRASH_ERROR)},"log_tail":${goJson(WRITER_LOG_TAIL)},"source":"bootstrap_watcher"}`,
    ),
    listedAs: "writerCrashed",
  },
  /** RecordAndBroadcast from handlers/registry.go evaluateStatus (error_rate >= 0.5). */
  reviewerDegraded: {
    source:
      "events/broadcaster.go (*Broadcaster).RecordAndBroadcast ← handlers/registry.go (*RegistryHandler).evaluateStatus",
    frame: frame(
      "WORKSPACE_DEGRADED",
      WS.reviewer,
      "2026-05-05T19:38:45.02244187Z",
      '{"error_rate":0.6,"sample_error":"model provider returned 529 Overloaded (3 of 5 calls in the last minute)"}',
    ),
    listedAs: "reviewerDegraded",
  },
  /** RecordAndBroadcast from handlers/registry.go Register: the card as the agent sent it. */
  leadRegistered: {
    source:
      "events/broadcaster.go (*Broadcaster).RecordAndBroadcast ← handlers/registry.go (*RegistryHandler).Register",
    frame: frame(
      "WORKSPACE_ONLINE",
      WS.lead,
      "2026-05-05T19:30:02.503977215Z",
      `{"agent_card":${LEAD_CARD_SENT},"delivery_mode":"push","url":"http://172.31.14.87:8000"}`,
    ),
    listedAs: "leadRegistered",
  },
  /** BroadcastOnly from handlers/registry.go Heartbeat, after the task update (every heartbeat, ~30 s). */
  heartbeat: {
    source: "events/broadcaster.go (*Broadcaster).BroadcastOnly ← handlers/registry.go (*RegistryHandler).Heartbeat",
    frame: frame(
      "WORKSPACE_HEARTBEAT",
      WS.lead,
      "2026-05-05T19:42:03.551920634Z",
      '{"active_tasks":1,"uptime_seconds":18264}',
    ),
  },
  /** BroadcastOnly from handlers/registry.go Heartbeat when current_task changed. */
  taskStarted: {
    source: "events/broadcaster.go (*Broadcaster).BroadcastOnly ← handlers/registry.go (*RegistryHandler).Heartbeat",
    frame: frame(
      "TASK_UPDATED",
      WS.lead,
      "2026-05-05T19:42:03.55177109Z",
      '{"active_tasks":1,"current_task":"Summarising Q2 churn interviews"}',
    ),
  },
  taskDone: {
    source: "events/broadcaster.go (*Broadcaster).BroadcastOnly ← handlers/registry.go (*RegistryHandler).Heartbeat",
    frame: frame("TASK_UPDATED", WS.lead, "2026-05-05T19:44:33.60418822Z", '{"active_tasks":0,"current_task":""}'),
  },
  /** BroadcastOnly from handlers/activity.go Notify (attachments are NotifyAttachment structs: uri, name, mimeType, size). */
  agentMessage: {
    source: "events/broadcaster.go (*Broadcaster).BroadcastOnly ← handlers/activity.go (*ActivityHandler).Notify",
    frame: frame(
      "AGENT_MESSAGE",
      WS.lead,
      "2026-05-05T19:44:31.9076Z",
      `{"attachments":[{"uri":"workspace:/outputs/q2-churn-summary.md","name":"q2-churn-summary.md","mimeType":"text/markdown","size":18422}],"message":"Q2 churn summary is ready — attached.","name":"Research Lead","workspace_id":"${WS.lead}"}`,
    ),
  },
  /** BroadcastOnly from handlers/a2a_proxy_helpers.go logA2ASuccess (a canvas caller, 2xx). */
  a2aResponse: {
    source:
      "events/broadcaster.go (*Broadcaster).BroadcastOnly ← handlers/a2a_proxy_helpers.go (*WorkspaceHandler).logA2ASuccess",
    frame: frame(
      "A2A_RESPONSE",
      WS.lead,
      "2026-05-05T19:42:11.973305561Z",
      `{"duration_ms":8421,"method":"message/send","response_body":${A2A_RESPONSE}}`,
    ),
  },
  /** BroadcastOnly from handlers/activity.go LogActivity (called by logA2ASuccess: no caller → source_id null). */
  activityLogged: {
    source: "events/broadcaster.go (*Broadcaster).BroadcastOnly ← handlers/activity.go LogActivity",
    frame: frame(
      "ACTIVITY_LOGGED",
      WS.lead,
      "2026-05-05T19:42:11.98820413Z",
      `{"activity_type":"a2a_receive","duration_ms":8421,"method":"message/send","request_body":${A2A_REQUEST},"response_body":${A2A_RESPONSE},"source_id":null,"status":"ok","summary":"message/send → Research Lead","target_id":"${WS.lead}"}`,
    ),
  },
} satisfies Record<string, WsFixture>;
