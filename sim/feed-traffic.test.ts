import { monitorEventLoopDelay } from "node:perf_hooks";
import { WebSocket } from "undici";
import { describe, expect, it, vi } from "vitest";
import type { FeedMessage, Sim } from "./index";
import { hashSeed } from "./prng";
import { call, orgHeaders, PATIENT, START, simsAtStart, tenantHeaders } from "./test-support";

const simAt = simsAtStart();
/**
 * Which workspaces run an agent (and so heartbeat and chat) holds still while a test listens: no
 * seeded boot finishes (on a loaded machine FAST ones did, in the middle of a window).
 */
const sim: typeof simAt = (options = {}) =>
  simAt({ ...options, timing: { provisioningMs: 600_000, ...options.timing } });
const BROADCAST_ONLY = ["WORKSPACE_HEARTBEAT", "TASK_UPDATED", "A2A_RESPONSE", "AGENT_MESSAGE", "ACTIVITY_LOGGED"];
/** None of the broadcast-only types was ever stored (the seeded first boot records its own events meanwhile). */
function storedBroadcastOnly(s: Sim): string[] {
  return s.state
    .events()
    .map((e) => e.event_type)
    .filter((type) => BROADCAST_ONLY.includes(type));
}

interface Feed {
  /** Every message received so far, in order. */
  got: FeedMessage[];
  close(): void;
}

/** A real /ws client, open; `onMessage` runs as each message arrives. */
async function openFeed(s: Sim, onMessage: (message: FeedMessage) => void = () => {}): Promise<Feed> {
  const ws = new WebSocket(`${s.url.replace(/^http/, "ws")}/ws`, { headers: orgHeaders(s) });
  const got: FeedMessage[] = [];
  ws.addEventListener("message", (e) => {
    const message = JSON.parse(String(e.data)) as FeedMessage;
    got.push(message);
    onMessage(message);
  });
  await new Promise((resolve) => ws.addEventListener("open", resolve, { once: true }));
  return { got, close: () => ws.close() };
}

/** Every message a real /ws client receives for `ms`. */
async function listen(s: Sim, ms: number): Promise<FeedMessage[]> {
  const feed = await openFeed(s);
  await new Promise((resolve) => setTimeout(resolve, ms));
  feed.close();
  return feed.got;
}

const isBeat = (m: FeedMessage) => m.event === "WORKSPACE_HEARTBEAT";

/**
 * When a heartbeat fell due: each workspace beats at START + its phase (from the seed and its id)
 * + k·heartbeatMs, and is sent on the ticker's next tick, so this is the latest such time at or
 * before the message's stamp.
 */
function dueOf(beat: FeedMessage, heartbeatMs: number): number {
  const phase = hashSeed(1, "heartbeat", beat.workspace_id) % heartbeatMs;
  const sentAt = Number(nanos(beat.timestamp) / 1_000_000n);
  return sentAt - ((((sentAt - START - phase) % heartbeatMs) + heartbeatMs) % heartbeatMs);
}

/**
 * The heartbeats that fell due in [from, from + ms) of sim time, once all of them arrived. Counted
 * by when they fell due, not by when a client happened to listen: a loaded machine moves the
 * latter. Beats go out in the order they fall due, so one due at or after the end says none of
 * the window's is still to come.
 */
async function beatsDue(feed: Feed, heartbeatMs: number, from: number, ms: number): Promise<FeedMessage[]> {
  const to = from + ms;
  await vi.waitFor(() => {
    const last = feed.got.findLast(isBeat);
    expect(last && dueOf(last, heartbeatMs) >= to).toBe(true);
  }, PATIENT);
  return feed.got.filter((m) => {
    if (!isBeat(m)) return false;
    const due = dueOf(m, heartbeatMs);
    return due >= from && due < to;
  });
}

function runningIds(s: Sim): string[] {
  return s.state
    .workspaces()
    .filter((w) => w.status === "online" || w.status === "degraded")
    .map((w) => w.id);
}

describe("broadcast-only traffic on /ws (BroadcastOnly: never in /events)", () => {
  it("heartbeats every running agent every heartbeatMs: WORKSPACE_HEARTBEAT {active_tasks, uptime_seconds}", async () => {
    const heartbeatMs = 200;
    const s = await sim({ timing: { heartbeatMs } });
    const running = runningIds(s);
    const feed = await openFeed(s);
    // A window of 450 ms of sim time from now: 2 or 3 beats of each running agent fall in it.
    const window = await beatsDue(feed, heartbeatMs, s.now(), 450);
    feed.close();
    const beats = feed.got.filter(isBeat);
    const beating = new Set(beats.map((m) => m.workspace_id));
    expect(beating).toEqual(new Set(running));
    for (const id of running) {
      const own = window.filter((m) => m.workspace_id === id);
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
    // How long this process was held up (a loaded machine): the ticker's ticks are held up as long.
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const feed = await openFeed(s);
    const beats = await beatsDue(feed, heartbeatMs, s.now(), 1200);
    feed.close();
    stalls.disable();
    const heldUpMs = stalls.max / 1e6;
    expect(beats.length).toBeGreaterThan(3);
    for (const beat of beats) {
      const phase = hashSeed(1, "heartbeat", beat.workspace_id) % heartbeatMs;
      const sentAt = Number(nanos(beat.timestamp) / 1_000_000n) - START;
      // Sent on the tick after its beat time (one every 100 ms): a little late, never early, and
      // later only by as long as the process could not run.
      const late = (((sentAt - phase) % heartbeatMs) + heartbeatMs) % heartbeatMs;
      expect(late).toBeLessThan(150 + heldUpMs);
    }
  });

  it("reports the heartbeat's uptime in the list (the row holds what the agent last said)", async () => {
    const heartbeatMs = 1000;
    const s = await sim({ timing: { heartbeatMs } });
    // The row is read as each beat arrives, with the sim's time: a pair counts only while that
    // beat is still the workspace's latest (a loaded machine can deliver it after the next one fell due).
    const seen: Array<{ beat: FeedMessage; listed: number | undefined; at: number }> = [];
    const feed = await openFeed(s, (m) => {
      if (isBeat(m)) seen.push({ beat: m, listed: s.state.workspace(m.workspace_id)?.uptime_seconds, at: s.now() });
    });
    const pair = await vi.waitFor(() => {
      const current = seen.find((x) => x.at < dueOf(x.beat, heartbeatMs) + heartbeatMs);
      expect(current).toBeDefined();
      return current as (typeof seen)[number];
    }, PATIENT);
    feed.close();
    expect(pair.listed).toBe(pair.beat.payload.uptime_seconds);
  });

  it("sends TASK_UPDATED {active_tasks, current_task} only when an agent's task changes, and the list follows", async () => {
    const s = await sim({ workspaces: 60, timing: { heartbeatMs: 50 } });
    const feed = await openFeed(s);
    const updates = () => feed.got.filter((m) => m.event === "TASK_UPDATED");
    await new Promise((resolve) => setTimeout(resolve, 600));
    await vi.waitFor(() => expect(updates().length).toBeGreaterThan(0), PATIENT);
    // Then every agent stops (paused: no more heartbeats, so no more task changes) and the list
    // holds still. The last pause's event is sent after every message before it: once it is in,
    // so is every update.
    const agents = s.state.workspaces().filter((w) => ["online", "degraded", "provisioning"].includes(w.status));
    for (const w of agents) s.state.setWorkspaceStatus(w.id, "paused");
    const lastPaused = agents.at(-1)?.id;
    await vi.waitFor(
      () => expect(feed.got.some((m) => m.event === "WORKSPACE_PAUSED" && m.workspace_id === lastPaused)).toBe(true),
      PATIENT,
    );
    feed.close();
    for (const update of updates()) expect(Object.keys(update.payload)).toEqual(["active_tasks", "current_task"]);
    const last = new Map(updates().map((m) => [m.workspace_id, m.payload]));
    for (const [id, payload] of last) {
      expect(s.state.workspace(id)).toMatchObject({
        current_task: payload.current_task,
        active_tasks: payload.active_tasks,
      });
    }
    // Each update changes the task: two in a row for one workspace never repeat it.
    for (const id of last.keys()) {
      const own = updates()
        .filter((m) => m.workspace_id === id)
        .map((m) => m.payload.current_task);
      for (let i = 1; i < own.length; i++) expect(own[i]).not.toBe(own[i - 1]);
    }
  });

  it("carries chat on a few online workspaces: A2A_RESPONSE, AGENT_MESSAGE, ACTIVITY_LOGGED, never stored", async () => {
    const s = await sim({ timing: { chatMs: 30 } });
    const feed = await openFeed(s);
    const from = s.now();
    const chatOf = () => feed.got.filter((m) => ["A2A_RESPONSE", "AGENT_MESSAGE", "ACTIVITY_LOGGED"].includes(m.event));
    // Every kind of exchange, a delegation included (one exchange in three).
    await vi.waitFor(() => {
      const chat = chatOf();
      expect(new Set(chat.map((m) => m.event))).toEqual(new Set(["A2A_RESPONSE", "AGENT_MESSAGE", "ACTIVITY_LOGGED"]));
      expect(chat.some((m) => m.event === "ACTIVITY_LOGGED" && m.payload.source_id !== null)).toBe(true);
    }, PATIENT);
    feed.close();
    const chat = chatOf();
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
    // A delegation between agents names its caller, whose last_outbound_at moves (#817): to a
    // time after the client started listening (the seeded ones are at least a minute old).
    const delegated = logged.find((m) => m.payload.source_id !== null);
    expect(delegated).toBeDefined();
    const caller = await call(s, "GET", `/workspaces/${delegated?.payload.source_id}`, { headers: orgHeaders(s) });
    expect(Date.parse(caller.json.last_outbound_at)).toBeGreaterThanOrEqual(from);
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
    const heartbeatMs = 3000;
    const s = await sim({ workspaces: 10_000, timing: { heartbeatMs } });
    const running = runningIds(s).length;
    const feed = await openFeed(s);
    // The beats of 1.5 s of sim time.
    const beats = (await beatsDue(feed, heartbeatMs, s.now(), 1500)).length;
    feed.close();
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
