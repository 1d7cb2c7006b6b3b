import { WebSocket } from "undici";
import { describe, expect, it } from "vitest";
import type { FeedMessage, Sim } from "./index";
import { hashSeed } from "./prng";
import { call, orgHeaders, START, simsAtStart, tenantHeaders } from "./test-support";

const sim = simsAtStart();
const BROADCAST_ONLY = ["WORKSPACE_HEARTBEAT", "TASK_UPDATED", "A2A_RESPONSE", "AGENT_MESSAGE", "ACTIVITY_LOGGED"];
/** None of the broadcast-only types was ever stored (the seeded first boot records its own events meanwhile). */
function storedBroadcastOnly(s: Sim): string[] {
  return s.state
    .events()
    .map((e) => e.event_type)
    .filter((type) => BROADCAST_ONLY.includes(type));
}

/** Every message a real /ws client receives for `ms`. */
async function listen(s: Sim, ms: number): Promise<FeedMessage[]> {
  const ws = new WebSocket(`${s.url.replace(/^http/, "ws")}/ws`, { headers: orgHeaders(s) });
  const got: FeedMessage[] = [];
  ws.addEventListener("message", (e) => got.push(JSON.parse(String(e.data)) as FeedMessage));
  await new Promise((resolve) => ws.addEventListener("open", resolve, { once: true }));
  await new Promise((resolve) => setTimeout(resolve, ms));
  ws.close();
  return got;
}

describe("broadcast-only traffic on /ws (BroadcastOnly: never in /events)", () => {
  it("heartbeats every running agent every heartbeatMs: WORKSPACE_HEARTBEAT {active_tasks, uptime_seconds}", async () => {
    const s = await sim({ timing: { heartbeatMs: 200 } });
    const got = await listen(s, 450);
    const beats = got.filter((m) => m.event === "WORKSPACE_HEARTBEAT");
    const running = s.state.workspaces().filter((w) => w.status === "online" || w.status === "degraded");
    const beating = new Set(beats.map((m) => m.workspace_id));
    expect(beating).toEqual(new Set(running.map((w) => w.id)));
    for (const ws of running) {
      const own = beats.filter((m) => m.workspace_id === ws.id);
      expect(own.length).toBeGreaterThanOrEqual(2);
      expect(own.length).toBeLessThanOrEqual(3);
    }
    for (const beat of beats) {
      expect(Object.keys(beat.payload)).toEqual(["active_tasks", "uptime_seconds"]);
      expect(Number.isInteger(beat.payload.uptime_seconds)).toBe(true);
    }
    // Not stored.
    expect(storedBroadcastOnly(s)).toEqual([]);
    const listed = (await call(s, "GET", "/events", { headers: tenantHeaders(s) })).json as Array<{
      event_type: string;
    }>;
    expect(listed.some((e) => e.event_type === "WORKSPACE_HEARTBEAT")).toBe(false);
  });

  it("gives each workspace a deterministic phase in the cycle (from the seed and its id), anchored at the sim's start", async () => {
    const heartbeatMs = 1000;
    const s = await sim({ timing: { heartbeatMs } });
    const got = await listen(s, 1200);
    const beats = got.filter((m) => m.event === "WORKSPACE_HEARTBEAT");
    expect(beats.length).toBeGreaterThan(3);
    for (const beat of beats) {
      const phase = hashSeed(1, "heartbeat", beat.workspace_id) % heartbeatMs;
      const sentAt = Number(nanos(beat.timestamp) / 1_000_000n) - START;
      // Sent on the tick after its beat time: a little late, never early.
      const late = (((sentAt - phase) % heartbeatMs) + heartbeatMs) % heartbeatMs;
      expect(late).toBeLessThan(150);
    }
  });

  it("reports the heartbeat's uptime in the list (the row holds what the agent last said)", async () => {
    const s = await sim({ timing: { heartbeatMs: 1000 } });
    const got = await listen(s, 1100);
    const beat = got.find((m) => m.event === "WORKSPACE_HEARTBEAT");
    const listed = s.state.workspace(beat?.workspace_id ?? "");
    expect(listed?.uptime_seconds).toBe(beat?.payload.uptime_seconds);
  });

  it("sends TASK_UPDATED {active_tasks, current_task} only when an agent's task changes, and the list follows", async () => {
    const s = await sim({ workspaces: 60, timing: { heartbeatMs: 50 } });
    const got = await listen(s, 600);
    const updates = got.filter((m) => m.event === "TASK_UPDATED");
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) expect(Object.keys(update.payload)).toEqual(["active_tasks", "current_task"]);
    const last = new Map(updates.map((m) => [m.workspace_id, m.payload]));
    for (const [id, payload] of last) {
      expect(s.state.workspace(id)).toMatchObject({
        current_task: payload.current_task,
        active_tasks: payload.active_tasks,
      });
    }
    // Each update changes the task: two in a row for one workspace never repeat it.
    for (const id of last.keys()) {
      const own = updates.filter((m) => m.workspace_id === id).map((m) => m.payload.current_task);
      for (let i = 1; i < own.length; i++) expect(own[i]).not.toBe(own[i - 1]);
    }
  });

  it("carries chat on a few online workspaces: A2A_RESPONSE, AGENT_MESSAGE, ACTIVITY_LOGGED, never stored", async () => {
    const s = await sim({ timing: { chatMs: 30 } });
    const got = await listen(s, 400);
    const chat = got.filter((m) => ["A2A_RESPONSE", "AGENT_MESSAGE", "ACTIVITY_LOGGED"].includes(m.event));
    expect(new Set(chat.map((m) => m.event))).toEqual(new Set(["A2A_RESPONSE", "AGENT_MESSAGE", "ACTIVITY_LOGGED"]));
    const message = chat.find((m) => m.event === "AGENT_MESSAGE");
    expect(Object.keys(message?.payload ?? {})).toEqual(["message", "name", "workspace_id"]);
    expect(message?.payload.workspace_id).toBe(message?.workspace_id);
    const response = chat.find((m) => m.event === "A2A_RESPONSE");
    expect(Object.keys(response?.payload ?? {})).toEqual(["duration_ms", "method", "response_body"]);
    expect(response?.payload.response_body).toMatchObject({
      jsonrpc: "2.0",
      result: { kind: "message", role: "agent" },
    });
    const logged = chat.filter((m) => m.event === "ACTIVITY_LOGGED");
    expect(logged[0]?.payload).toMatchObject({ activity_type: "a2a_receive", method: "message/send", status: "ok" });
    // A delegation between agents names its caller, whose last_outbound_at moves (#817).
    const delegated = logged.find((m) => m.payload.source_id !== null);
    expect(delegated).toBeDefined();
    const caller = await call(s, "GET", `/workspaces/${delegated?.payload.source_id}`, { headers: orgHeaders(s) });
    expect(Date.parse(caller.json.last_outbound_at)).toBeGreaterThanOrEqual(s.now() - 1000);
    expect(new Set(chat.map((m) => m.workspace_id)).size).toBeLessThanOrEqual(4);
    expect(storedBroadcastOnly(s)).toEqual([]);
  });

  it("is quiet when heartbeatMs and chatMs are 0", async () => {
    const s = await sim({ timing: { heartbeatMs: 0, chatMs: 0 } });
    const got = await listen(s, 150);
    expect(got.filter((m) => BROADCAST_ONLY.includes(m.event))).toEqual([]);
  });
});

describe("at scale", () => {
  it("drives 10,000 workspaces' heartbeats at 3 s from one ticker: ~3,300 messages a second", async () => {
    const s = await sim({ workspaces: 10_000, timing: { heartbeatMs: 3000 } });
    const running = s.state.workspaces().filter((w) => w.status === "online" || w.status === "degraded").length;
    const got = await listen(s, 1500);
    const beats = got.filter((m) => m.event === "WORKSPACE_HEARTBEAT").length;
    const expected = (running * 1.5) / 3;
    expect(beats).toBeGreaterThan(expected * 0.7);
    expect(beats).toBeLessThan(expected * 1.3);
  }, 60_000);
});

/** RFC3339Nano to ns since the epoch. */
function nanos(stamp: string): bigint {
  const [, base, fraction = ""] = /^(.*?)(?:\.(\d+))?Z$/.exec(stamp) ?? [];
  return BigInt(Date.parse(`${base}Z`)) * 1_000_000n + BigInt(fraction.padEnd(9, "0"));
}
