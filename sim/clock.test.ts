import { describe, expect, it, vi } from "vitest";
import { SimClock } from "./clock";
import type { Sim, SimEvent } from "./index";
import { adminHeaders, call, PATIENT, START, simsAtStart, tenantHeaders } from "./test-support";

const sim = simsAtStart();

describe("the sim's clock (startAt)", () => {
  it("starts at startAt and runs on monotonic time", async () => {
    const clock = new SimClock(Date.parse("2031-01-01T00:00:00Z"));
    const first = clock.now();
    expect(first - Date.parse("2031-01-01T00:00:00Z")).toBeLessThan(50);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clock.now() - first).toBeGreaterThanOrEqual(25);
    expect(Number(clock.nowNs() / 1_000_000n)).toBeGreaterThanOrEqual(clock.now() - 1);
    expect(() => new SimClock(Number.NaN)).toThrow(/startAt/);
  });

  it("stamps everything from it: sim.now(), seeded history, events, instances, consoles, requests", async () => {
    const s = await sim();
    expect(s.now() - START).toBeGreaterThanOrEqual(0);
    expect(s.now() - START).toBeLessThan(5_000);
    expect(s.state.now() - s.now()).toBeLessThanOrEqual(5);
    const history = s.state.events();
    for (const event of history) expect(Date.parse(event.created_at)).toBeLessThanOrEqual(START + 5_000);
    expect(Math.min(...history.map((e) => Date.parse(e.created_at)))).toBeGreaterThan(START - 91 * 86_400_000);
    for (const instance of s.state.instances())
      expect(Date.parse(instance.created_at)).toBeLessThanOrEqual(START + 5_000);
    const ws = s.state.workspaces().find((w) => w.status === "online" && w.runtime !== "external");
    s.state.setWorkspaceStatus(ws?.id ?? "", "offline");
    const fresh = s.state.events()[0] as SimEvent;
    expect(Date.parse(fresh.created_at) - START).toBeGreaterThanOrEqual(0);
    expect(Date.parse(fresh.created_at) - START).toBeLessThan(5_000);
    await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) });
    expect(Date.parse(s.state.requests().at(-1)?.at ?? "") - START).toBeLessThan(5_000);
    const added = s.state.addWorkspace({ status: "provisioning" });
    const instanceId = s.state.instanceOf(added.id) as string;
    expect(Date.parse(s.state.instance(instanceId)?.created_at ?? "") - START).toBeLessThan(5_000);
    // The serial console's cloud-init lines name the sim's time, not the wall clock's.
    await vi.waitFor(async () => {
      const out = (await call(s, "GET", `/cp/admin/workspaces/${added.id}/console`, { headers: adminHeaders(s) })).json
        .output;
      expect(out).toContain("Thu, 03 Dec 2026 07:45:");
    }, PATIENT);
  });

  it("makes the seeded history exact for a seed and a start: the same bytes twice, shifted by another start", async () => {
    // The history only: the seeded first boots record their own events on the way.
    const seeded = (s: Sim, start: number) => s.state.events().filter((e) => Date.parse(e.created_at) <= start);
    const [a, b] = await Promise.all([sim({ seed: 3 }), sim({ seed: 3 })]);
    expect(seeded(a, START)).toEqual(seeded(b, START));
    const later = await sim({ seed: 3, startAt: START + 86_400_000 });
    const shift = (e: SimEvent) => Date.parse(e.created_at);
    const ea = seeded(a, START);
    const el = seeded(later, START + 86_400_000);
    expect(el.map((e) => e.id)).toEqual(ea.map((e) => e.id));
    for (const [i, e] of ea.entries()) expect(shift(el[i] as SimEvent) - shift(e)).toBe(86_400_000);
    // created_at has Postgres' µs precision.
    expect(ea.some((e) => /\.\d{6}Z$/.test(e.created_at))).toBe(true);
  });
});
