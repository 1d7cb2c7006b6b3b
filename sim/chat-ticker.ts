import { goMap } from "./go-json-body";
import { createPrng, hashSeed, type Prng } from "./prng";
import { PROMPTS, REPLIES } from "./seed-vocabulary";
import type { SimWorld } from "./state";
import type { WorkspaceRecord } from "./workspace-record";

/** Chat happens on a few workspaces, as on a real tenant where most agents sit idle. */
const CHATTY = 4;

/**
 * Chat traffic on /ws, the broadcast-only messages a console must show as chat and never store
 * (docs/contracts.md §3): each call is one exchange, in turn
 * - a canvas message to an agent and its reply: A2A_RESPONSE {response_body, method, duration_ms}
 *   then ACTIVITY_LOGGED (a2a_proxy_helpers.go logA2ASuccess; the log is written in a goroutine,
 *   so the response goes out first);
 * - an agent's message to the user: AGENT_MESSAGE {message, workspace_id, name}
 *   (activity.go Notify, mcp_tools.go send_message_to_user);
 * - a delegation between two agents: ACTIVITY_LOGGED on the target with the caller as
 *   source_id, and the caller's last_outbound_at set (#817). No A2A_RESPONSE: it has a caller.
 */
export function chatOnce(world: SimWorld, n: number): void {
  const candidates = chattyWorkspaces(world);
  if (candidates.length === 0) return;
  const rng = createPrng(hashSeed(world.options.seed, "chat", n));
  const target = candidates[n % candidates.length] as WorkspaceRecord;
  const kind = n % 3;
  if (kind === 1) {
    world.broadcastOnly(target.id, "AGENT_MESSAGE", {
      message: rng.pick(REPLIES),
      name: target.name,
      workspace_id: target.id,
    });
    return;
  }
  const caller = kind === 2 ? candidates.find((w) => w !== target) : undefined;
  const exchange = a2aExchange(rng);
  const durationMs = rng.int(400, 9000);
  if (!caller) {
    world.broadcastOnly(target.id, "A2A_RESPONSE", {
      duration_ms: durationMs,
      method: "message/send",
      response_body: exchange.response,
    });
  } else {
    caller.lastOutboundMicros = world.clock.nowMicros();
  }
  world.broadcastOnly(
    target.id,
    "ACTIVITY_LOGGED",
    goMap({
      activity_type: "a2a_receive",
      method: "message/send",
      summary: `message/send → ${target.name}`,
      status: "ok",
      source_id: caller?.id ?? null,
      target_id: target.id,
      duration_ms: durationMs,
      request_body: exchange.request,
      response_body: exchange.response,
    }),
  );
}

function chattyWorkspaces(world: SimWorld): WorkspaceRecord[] {
  const out: WorkspaceRecord[] = [];
  for (const record of world.records()) {
    if (record.status === "online" && record.runtime !== "external") out.push(record);
    if (out.length === CHATTY) break;
  }
  return out;
}

/** A JSON-RPC message/send and its answer, in the field order the canvas and the agent write them. */
function a2aExchange(rng: Prng): { request: Record<string, unknown>; response: Record<string, unknown> } {
  const id = rng.uuid();
  const request = {
    jsonrpc: "2.0",
    id,
    method: "message/send",
    params: { message: { role: "user", messageId: rng.uuid(), parts: [{ kind: "text", text: rng.pick(PROMPTS) }] } },
  };
  const response = {
    jsonrpc: "2.0",
    id,
    result: {
      kind: "message",
      messageId: rng.uuid(),
      role: "agent",
      parts: [{ kind: "text", text: rng.pick(REPLIES) }],
    },
  };
  return { request, response };
}
