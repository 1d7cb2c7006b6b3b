import { describe, expect, it } from "vitest";
import { simsPerTest, tenantHeaders } from "../../sim/test-support";
import { eventually } from "./ops.testkit";
import { type PushedEvent, parsePushedEvent, TenantFeed } from "./tenant-feed";

const sims = simsPerTest();

describe("TenantFeed", () => {
  it("backs off exponentially up to the ceiling while refused, then connects and delivers events", async () => {
    const sim = await sims({ workspaces: 0 });
    const ws = sim.state.addWorkspace({ status: "online" });
    sim.faults.set("tenant.ws", { kind: "status", status: 503 }, { times: 5 });
    const waits: number[] = [];
    const got: PushedEvent[] = [];
    let opened = 0;
    const feed = new TenantFeed({
      baseUrl: sim.url,
      headers: tenantHeaders(sim),
      onEvent: (e) => got.push(e),
      onOpen: () => opened++,
      onState: (state, d) => {
        if (state === "waiting" && d.retryInMs !== null) waits.push(d.retryInMs);
      },
      baseDelayMs: 10,
      maxDelayMs: 80,
      random: () => 1, // the ceiling itself, so the schedule is visible
    });
    try {
      feed.start();
      await eventually(() => opened === 1, 20_000, "feed open");
      expect(waits).toEqual([10, 20, 40, 80, 80]);
      sim.state.setWorkspaceStatus(ws.id, "offline");
      const event = await eventually(() => got.find((e) => e.workspaceId === ws.id), 20_000, "event");
      expect(event).toMatchObject({ event: "WORKSPACE_OFFLINE", workspaceId: ws.id });
      expect(event.at).toBeGreaterThan(0);
    } finally {
      feed.stop();
    }
    expect(feed.state).toBe("closed");
  });

  it("jitters each wait below its ceiling", async () => {
    const sim = await sims({ workspaces: 0 });
    sim.faults.set("tenant.ws", { kind: "status", status: 503 });
    const waits: number[] = [];
    const draws = [0.5, 0.25, 0];
    const feed = new TenantFeed({
      baseUrl: sim.url,
      headers: tenantHeaders(sim),
      onEvent: () => {},
      onState: (state, d) => {
        if (state === "waiting" && d.retryInMs !== null) waits.push(d.retryInMs);
      },
      baseDelayMs: 100,
      random: () => draws.shift() ?? 0,
    });
    feed.start();
    await eventually(() => waits.length >= 3, 20_000, "three waits");
    feed.stop();
    expect(waits.slice(0, 3)).toEqual([50, 50, 0]);
  });

  it("ignores messages that are not event objects", () => {
    expect(parsePushedEvent("not json")).toBeNull();
    expect(parsePushedEvent('{"payload":{}}')).toBeNull();
    expect(parsePushedEvent("[1,2]")).toBeNull();
    expect(parsePushedEvent('{"event":"X","workspace_id":"","timestamp":"nope","payload":[1]}')).toEqual({
      event: "X",
      workspaceId: null,
      at: null,
      timestamp: "nope",
      payload: {},
    });
  });
});
