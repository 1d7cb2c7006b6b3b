/**
 * The hostile upstream's answers, in the platform's shapes (core/tenant/contract/: the tenant's
 * handlers, gin's encoding/json with sorted map keys and Go's \u003c escapes; the CP's routes of
 * docs/contracts.md §2), with a secret planted in every free-text field and key. Identifiers (workspace ids,
 * event ids, instance ids), numbers and the statuses the console's logic reads stay valid, except
 * for one workspace whose status itself is hostile text (an unknown status is shown as itself).
 */
import { goJson } from "../tenant/contract/fixture";
import type { HostileText } from "./hostile-text";

/** The hostile tenant's workspaces (UUIDs, as workspaces.id is). */
export const HOSTILE_WS = {
  /** online, claude-code, an agent card; the parent of `child`. */
  lead: "7a1e3c5d-2b4f-4e6a-8c1d-3f5e7a9b1c20",
  /** failed: RUNTIME CRASHED at boot; a restart of it fails again (its failure event says why). */
  writer: "4c2d6e8f-1a3b-4c5d-9e7f-2a4b6c8d0e31",
  /** degraded. */
  reviewer: "9e8d7c6b-5a4f-4e3d-a2c1-0b9a8f7e6d42",
  /** provisioning for an hour, its console shows RUNTIME CRASHED: a stuck boot for the doctor. */
  crashing: "2f4e6d8c-0b1a-4c3e-8d5f-7a9b1c3e5f53",
  /** external (its operator runs it): a restart is the tenant's no-op message. */
  poller: "b1c3d5e7-f9a2-4b4c-8d6e-0f1a3b5c7d64",
  /** hibernated, its runtime hostile text. */
  archivist: "d4f6a8c0-e2b4-4d6f-9a8c-1e3f5a7c9e75",
  /** online, child of lead. */
  child: "6b8d0f2a-4c6e-4f8a-b0c2-4e6a8c0e2f86",
  /** a status the console does not know, itself hostile text. */
  oddity: "0c2e4a6c-8e0a-4c2e-9a4c-6e8a0c2e4a97",
  /** not listed by the tenant, but an instance of it is on file and the CP says it runs: an orphan. */
  orphan: "e5a7c9e1-b3d5-4f7a-8c9e-1b3d5f7a9ca8",
} as const;

/** The instance each workspace runs on, as the tenant's server log says (the API never does). */
export const HOSTILE_INSTANCES: Readonly<Record<string, string>> = {
  [HOSTILE_WS.lead]: "i-0a1b2c3d4e5f60718",
  [HOSTILE_WS.writer]: "i-0b2c3d4e5f6071829",
  [HOSTILE_WS.reviewer]: "i-0c3d4e5f607182930",
  [HOSTILE_WS.crashing]: "i-0d4e5f60718293a41",
  [HOSTILE_WS.archivist]: "i-0e5f60718293a4b52",
  [HOSTILE_WS.child]: "i-0f60718293a4b5c63",
  [HOSTILE_WS.oddity]: "i-0071829304a5b6c74",
  [HOSTILE_WS.orphan]: "i-0182930415b6c7d85",
};

export interface HostileWorkspace {
  id: string;
  status: string;
  runtime: string;
  tier: number;
  parentId: string | null;
  /** GET /workspaces/:id after a restart of it: online, or failed (with the reason in its events). */
  afterRestart: "online" | "failed";
}

/** The listed workspaces, oldest first (the orphan is not listed). */
export function hostileWorkspaces(p: HostileText): HostileWorkspace[] {
  const w = (
    id: string,
    status: string,
    runtime: string,
    tier: number,
    parentId: string | null = null,
    afterRestart: "online" | "failed" = "online",
  ): HostileWorkspace => ({ id, status, runtime, tier, parentId, afterRestart });
  return [
    w(HOSTILE_WS.lead, "online", "claude-code", 4),
    w(HOSTILE_WS.writer, "failed", "hermes", 4, null, "failed"),
    w(HOSTILE_WS.reviewer, "degraded", "codex", 3),
    w(HOSTILE_WS.crashing, "provisioning", "crewai", 2),
    w(HOSTILE_WS.poller, "awaiting_agent", "external", 4),
    w(HOSTILE_WS.archivist, "hibernated", p.text("runtime"), 3),
    w(HOSTILE_WS.child, "online", "langgraph", 1, HOSTILE_WS.lead),
    w(HOSTILE_WS.oddity, p.text("status"), "autogen", 2),
  ];
}

/** A Go map: keys sorted, as encoding/json writes map[string]interface{} and gin.H. */
export function goMap(value: Record<string, unknown>): string {
  return goJson(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object" && !(value instanceof RawJson)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      Object.defineProperty(out, key, {
        value: sortKeys((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** A value already in its final order (a JSONB column passed through as json.RawMessage). */
class RawJson {
  constructor(readonly value: unknown) {}
  toJSON(): unknown {
    return this.value;
  }
}

/** An object whose keys are hostile text too (JSON.stringify keeps insertion order). */
function withKeys(p: HostileText, base: Record<string, unknown>, label: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  Object.defineProperty(out, p.text(`${label} key`), {
    value: p.text(`${label} value under a hostile key`),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return out;
}

/** An A2A agent card as the agent registered it (jsonb order), every text hostile, a hostile key too. */
function agentCard(p: HostileText, who: string): RawJson {
  return new RawJson(
    withKeys(
      p,
      {
        url: p.text(`${who} card url`),
        name: p.text(`${who} card name`),
        skills: [
          {
            id: "research.plan",
            name: p.text(`${who} skill name`),
            tags: [p.text(`${who} skill tag`)],
            description: p.text(`${who} skill description`),
          },
        ],
        version: "0.9.4",
        description: p.text(`${who} card description`),
        capabilities: { streaming: true, pushNotifications: false },
        defaultInputModes: ["text"],
        defaultOutputModes: ["text"],
      },
      `${who} card`,
    ),
  );
}

/** GET /workspaces's object for one workspace (handlers/workspace.go scanWorkspaceRow). */
export function listedWorkspace(p: HostileText, w: HostileWorkspace, index: number): Record<string, unknown> {
  return withKeys(
    p,
    {
      active_tasks: 1,
      agent_card: w.status === "online" || w.status === "degraded" ? agentCard(p, `workspace ${index}`) : null,
      budget_limit: null,
      collapsed: false,
      current_task: p.text(`workspace ${index} current_task`),
      id: w.id,
      last_error_rate: w.status === "degraded" ? 0.6 : 0,
      last_sample_error: crashText(p, `workspace ${index} last_sample_error`),
      max_concurrent_tasks: 2,
      monthly_spend: 1840,
      name: p.text(`workspace ${index} name`),
      parent_id: w.parentId,
      role: p.text(`workspace ${index} role`),
      runtime: w.runtime,
      status: w.status,
      tier: w.tier,
      uptime_seconds: 18234,
      url: p.text(`workspace ${index} url`),
      workspace_dir: p.text(`workspace ${index} workspace_dir`),
      x: 120 + index * 40,
      y: 80,
    },
    `workspace ${index}`,
  );
}

/** GET /workspaces/:id: the list's object less the fields Get strips, plus last_outbound_at. */
export function fetchedWorkspace(p: HostileText, w: HostileWorkspace, index: number, status: string): string {
  const listed = listedWorkspace(p, w, index);
  for (const key of ["budget_limit", "monthly_spend", "current_task", "last_sample_error", "workspace_dir"]) {
    delete listed[key];
  }
  return goMap({ ...listed, status, last_outbound_at: null });
}

/** A boot failure's text: the crash line and a traceback whose exception line is hostile. */
function crashText(p: HostileText, label: string): string {
  return `RUNTIME CRASHED: agent exited with code 1 ${p.text(`${label} crash line`)}\n\nTraceback (most recent call last):\n  File "/opt/molecule/runtime/cli.py", line 61, in main\nValueError: ${p.text(`${label} exception`)}`;
}

const ESC = "\u001b";

/**
 * A serial console (CRLF, systemd's colours), every line of it hostile: an env dump, a curl with
 * the bearer, each form on a line of its own in red, and for a crashed boot RUNTIME CRASHED and a
 * traceback whose last line is hostile too.
 */
export function hostileConsole(p: HostileText, workspaceId: string, crashed: boolean): string {
  const lines = [
    `[    0.000000] Linux version 6.1.134 ${p.text("kernel banner")}`,
    `[${ESC}[0;32m  OK  ${ESC}[0m] Started docker.service ${p.text("systemd unit")}`,
    `cloud-init[1687]: env ADMIN_TOKEN=${p.suffixCut()}${p.prefixCut()}`,
    `molecule-bootstrap: workspace ${workspaceId} ${p.text("bootstrap line")}`,
    ...p.forms().map((f, i) => `${ESC}[31mcurl[${i}] -H '${f}'${ESC}[0m ${ESC}]0;${p.prefixCut()}\u0007`),
    `${ESC}[1;33mwarning:${ESC}[0m ${p.text("warning line")}`,
  ];
  if (crashed) {
    lines.push(
      `RUNTIME CRASHED: crewai-agent exited with code 1 ${p.text("crash line")}`,
      "Traceback (most recent call last):",
      `  File "/opt/molecule/runtime/cli.py", line 61, in main ${p.text("traceback frame")}`,
      `ValueError: invalid credentials ${p.text("exception line")}`,
    );
  }
  lines.push(`login: ${p.prefixCut()}`);
  return lines.map((l) => `${l}\r\n`).join("");
}

export interface HostileEvent {
  createdAt: number;
  eventType: string;
  id: string;
  workspaceId: string | null;
  payload: unknown;
}

/** Event ids: UUIDs derived from the event's position (stable across answers). */
function eventId(n: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `5e0a1b2c-3d4e-4f5a-8b6c-${hex}`;
}

/**
 * The tenant's latest events (handlers/events.go List), every payload value and key hostile, with
 * the times the console's logic reads: the stuck boot entered provisioning an hour ago, the
 * writer's boot failed 40 minutes ago.
 */
export function hostileEvents(p: HostileText, now: number): HostileEvent[] {
  const min = 60_000;
  let n = 0;
  const e = (ago: number, eventType: string, workspaceId: string | null, payload: unknown): HostileEvent => ({
    createdAt: now - ago,
    eventType,
    id: eventId(++n),
    workspaceId,
    payload,
  });
  const W = HOSTILE_WS;
  const events = [
    e(180 * min, "WORKSPACE_PROVISIONING", W.lead, {
      name: p.text("provisioning name"),
      tier: 4,
      runtime: "claude-code",
    }),
    e(175 * min, "WORKSPACE_ONLINE", W.lead, {
      url: p.text("online url"),
      agent_card: agentCard(p, "online event"),
      delivery_mode: "push",
    }),
    e(170 * min, "AGENT_ASSIGNED", W.lead, { model: p.text("model"), agent_id: p.text("agent_id") }),
    e(90 * min, "DELEGATION_SENT", W.lead, {
      target_id: W.child,
      task_preview: p.text("task_preview"),
      delegation_id: p.text("delegation_id"),
    }),
    e(60 * min, "WORKSPACE_PROVISIONING", W.crashing, {
      name: p.text("stuck provisioning name"),
      tier: 2,
      runtime: "crewai",
    }),
    e(45 * min, "WORKSPACE_PROVISIONING", W.writer, {
      name: p.text("writer provisioning"),
      tier: 4,
      runtime: "hermes",
    }),
    e(40 * min, "WORKSPACE_PROVISION_FAILED", W.writer, {
      error: crashText(p, "provision failed error"),
      source: "bootstrap_watcher",
      log_tail: hostileConsole(p, W.writer, true),
    }),
    e(30 * min, "WORKSPACE_HIBERNATED", W.archivist, { name: p.text("hibernated name"), tier: 3 }),
    e(20 * min, "WORKSPACE_DEGRADED", W.reviewer, { error_rate: 0.6, sample_error: p.text("sample_error") }),
    e(15 * min, "CHANNEL_MESSAGE", W.child, withKeys(p, { text: p.text("channel text") }, "channel")),
    e(10 * min, "ORG_IMPORTED", null, { note: p.text("org-level payload") }),
    // An event type the console does not know is kept and shown as itself: hostile text too.
    e(5 * min, p.text("event type"), W.oddity, {
      [p.text("custom key")]: [p.text("custom array item"), { nested: p.text("custom nested") }],
    }),
  ];
  return events.reverse(); // newest first, as ORDER BY created_at DESC
}

/** One row of GET /events: map{created_at, event_type, id, payload, workspace_id} (sorted keys). */
export function eventRow(e: HostileEvent): string {
  const payload = e.payload instanceof RawJson ? e.payload : new RawJson(e.payload);
  return `{"created_at":"${new Date(e.createdAt).toISOString()}","event_type":${goJson(e.eventType)},"id":"${e.id}","payload":${goJson(payload)},"workspace_id":${e.workspaceId === null ? "null" : `"${e.workspaceId}"`}}`;
}

/** A /ws text frame: models.WSMessage {event, workspace_id, timestamp, payload} in struct order. */
export function wsFrame(event: string, workspaceId: string, at: number, payload: unknown): string {
  return `{"event":${goJson(event)},"workspace_id":${goJson(workspaceId)},"timestamp":"${new Date(at).toISOString()}","payload":${goMap(payload as Record<string, unknown>)}}`;
}

/**
 * What the hostile tenant pushes on /ws when a client connects: status events (degraded, failed,
 * online with a card), heartbeats, task updates, chat (agent messages, A2A bodies, activity), a
 * frame whose event name, workspace id and timestamp are hostile, and a frame that is not JSON.
 */
export function hostileFrames(p: HostileText, at: number): string[] {
  const W = HOSTILE_WS;
  return [
    wsFrame("WORKSPACE_DEGRADED", W.reviewer, at, { error_rate: 0.7, sample_error: p.text("ws sample_error") }),
    wsFrame("WORKSPACE_PROVISION_FAILED", W.writer, at, {
      error: crashText(p, "ws provision failed"),
      log_tail: hostileConsole(p, W.writer, true),
      source: "bootstrap_watcher",
    }),
    wsFrame("WORKSPACE_ONLINE", W.child, at, {
      agent_card: agentCard(p, "ws online"),
      delivery_mode: "push",
      url: p.text("ws online url"),
    }),
    ...heartbeatFrames(p, at),
    wsFrame("AGENT_MESSAGE", W.lead, at, {
      attachments: [{ uri: p.text("attachment uri"), name: p.text("attachment name"), mimeType: "text/markdown" }],
      message: p.text("agent message"),
      name: p.text("agent name"),
      workspace_id: W.lead,
    }),
    wsFrame("A2A_RESPONSE", W.lead, at, {
      duration_ms: 8421,
      method: "message/send",
      response_body: { jsonrpc: "2.0", result: { parts: [{ kind: "text", text: p.text("a2a text") }] } },
    }),
    wsFrame("ACTIVITY_LOGGED", W.lead, at, {
      activity_type: "a2a_receive",
      request_body: { params: { message: { parts: [{ text: p.text("activity request") }] } } },
      summary: p.text("activity summary"),
      status: "ok",
    }),
    `{"event":${goJson(p.text("ws event name"))},"workspace_id":${goJson(p.text("ws workspace_id"))},"timestamp":${goJson(p.text("ws timestamp"))},"payload":${goMap(withKeys(p, {}, "ws payload"))}}`,
    `not json: ${p.text("ws garbage frame")}`,
  ];
}

/** The traffic a running tenant pushes all the time: heartbeats (BroadcastOnly) and task updates. */
export function heartbeatFrames(p: HostileText, at: number): string[] {
  const W = HOSTILE_WS;
  return [
    wsFrame("WORKSPACE_HEARTBEAT", W.lead, at, {
      active_tasks: 1,
      uptime_seconds: 18264,
      current_task: p.text("heartbeat task"),
    }),
    wsFrame("TASK_UPDATED", W.child, at, { active_tasks: 1, current_task: p.text("task updated") }),
  ];
}
