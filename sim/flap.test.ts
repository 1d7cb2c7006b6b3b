import { describe, expect, it, vi } from "vitest";
import type { Sim, SimEvent } from "./index";
import { FAST, PATIENT, simsAtStart } from "./test-support";

const sim = simsAtStart();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The events from now on; for one workspace when given, as seeded ones also boot meanwhile. */
function recordEvents(s: Sim, workspaceId?: string): SimEvent[] {
  const seen: SimEvent[] = [];
  s.state.onEvent((event) => {
    if (workspaceId === undefined || event.workspace_id === workspaceId) seen.push(event);
  });
  return seen;
}

function onlineId(s: Sim): string {
  const ws = s.state.workspaces().find((w) => w.status === "online");
  if (!ws) throw new Error("no online workspace seeded");
  return ws.id;
}

describe("flap (a workspace whose health wobbles)", () => {
  it("alternates WORKSPACE_DEGRADED / WORKSPACE_ONLINE every everyMs, and stops when told", async () => {
    const s = await sim();
    const id = onlineId(s);
    const seen = recordEvents(s, id);
    const stop = s.state.flap(id, 20);
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(4), PATIENT);
    stop();
    const flips = seen.length;
    expect(seen.slice(0, 4).map((e) => e.event_type)).toEqual([
      "WORKSPACE_DEGRADED",
      "WORKSPACE_ONLINE",
      "WORKSPACE_DEGRADED",
      "WORKSPACE_ONLINE",
    ]);
    expect(s.state.workspace(id)?.status).toBe(flips % 2 === 0 ? "online" : "degraded");
    await pause(80);
    expect(seen).toHaveLength(flips);
  });

  it("waits while the workspace is in another status, then resumes", async () => {
    const s = await sim();
    const id = onlineId(s);
    s.state.flap(id, 20);
    s.state.setWorkspaceStatus(id, "offline");
    const seen = recordEvents(s, id);
    await pause(80);
    expect(seen).toEqual([]);
    s.state.setWorkspaceStatus(id, "online");
    await vi.waitFor(() => expect(seen.map((e) => e.event_type)).toContain("WORKSPACE_DEGRADED"), PATIENT);
  });

  it("refuses an unknown workspace and a non-positive interval", async () => {
    const s = await sim();
    expect(() => s.state.flap("nope", 20)).toThrow(/no workspace nope/);
    expect(() => s.state.flap(onlineId(s), 0)).toThrow(/positive/);
  });

  it("options.flapping: that many seeded online workspaces flap every timing.flapMs", async () => {
    const s = await sim({ flapping: 2, timing: { ...FAST, flapMs: 20 } });
    const online = new Set(
      s.state
        .workspaces()
        .filter((w) => w.status === "online")
        .map((w) => w.id),
    );
    const seen = recordEvents(s);
    // Only flapping degrades a workspace here (seeded provisioning ones also boot meanwhile).
    const degraded = () =>
      new Set(seen.filter((e) => e.event_type === "WORKSPACE_DEGRADED").map((e) => e.workspace_id));
    await vi.waitFor(() => expect(degraded().size).toBe(2), PATIENT);
    const flapping = degraded();
    for (const id of flapping) expect(online.has(id as string)).toBe(true);
    await pause(60);
    expect(degraded()).toEqual(flapping);
  });

  it("churn: a steady rate of flips over the workspaces in turn, and stops when told", async () => {
    const s = await sim();
    const ids = s.state
      .workspaces()
      .filter((w) => w.status === "online" && w.runtime !== "external")
      .slice(0, 3)
      .map((w) => w.id);
    const watched = new Set(ids);
    const seen = recordEvents(s);
    const mine = () => seen.filter((e) => watched.has(e.workspace_id as string));
    const t0 = Date.now();
    const stop = s.state.churn(ids, 100);
    await vi.waitFor(() => expect(mine().length).toBeGreaterThanOrEqual(12), PATIENT);
    stop();
    const elapsed = Date.now() - t0;
    const flips = mine();
    // Round-robin: each of the three first degrades, then each comes back online.
    expect(flips.slice(0, 6).map((e) => [e.workspace_id, e.event_type])).toEqual([
      ...ids.map((id) => [id, "WORKSPACE_DEGRADED"]),
      ...ids.map((id) => [id, "WORKSPACE_ONLINE"]),
    ]);
    // Paced by the clock: about 100 a second, never more than the elapsed time allows.
    expect(flips.length).toBeLessThanOrEqual(Math.ceil((elapsed * 100) / 1000) + 1);
    const count = flips.length;
    await pause(80);
    expect(mine()).toHaveLength(count);
  });

  it("churn refuses no workspaces, an unknown one and a non-positive rate", async () => {
    const s = await sim();
    expect(() => s.state.churn([], 10)).toThrow(/at least one/);
    expect(() => s.state.churn(["nope"], 10)).toThrow(/no workspace nope/);
    expect(() => s.state.churn([onlineId(s)], 0)).toThrow(/positive/);
  });

  it("options.flapRate: the flapping workspaces flip in turn at that rate", async () => {
    const s = await sim({ flapping: 2, flapRate: 50, timing: { ...FAST, flapMs: 60_000 } });
    const seen = recordEvents(s);
    const health = () =>
      seen.filter((e) => e.event_type === "WORKSPACE_DEGRADED" || e.event_type === "WORKSPACE_ONLINE");
    // flapMs is a minute: only the steady rate can flip them this soon.
    await vi.waitFor(() => expect(health().length).toBeGreaterThanOrEqual(4), PATIENT);
    const ids = new Set(health().map((e) => e.workspace_id));
    expect(ids.size).toBe(2);
  });

  it("options.flapRate must be a positive number", async () => {
    await expect(sim({ flapping: 1, flapRate: 0 })).rejects.toThrow(/flapRate/);
  });

  it("options.flapping defaults to 0: nothing flaps", async () => {
    const s = await sim();
    const seen = recordEvents(s);
    await pause(FAST.flapMs * 3);
    expect(seen.filter((e) => e.event_type === "WORKSPACE_DEGRADED")).toEqual([]);
  });
});
