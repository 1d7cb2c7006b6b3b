import { describe, expect, it } from "vitest";
import { type BootConsoleInput, CRASH_MARKER, renderBootConsole } from "./boot-console";

const base: BootConsoleInput = {
  seed: 1,
  instanceId: "i-0123456789abcdef0",
  workspaceId: "3f2a9c4e-8b1d-4e7f-9a6b-2c5d8e1f0a3b",
  runtime: "langgraph",
  tier: 2,
  privateIp: "10.0.3.4",
  crash: false,
  startedAt: Date.parse("2026-05-05T12:30:11Z"),
  stoppedAt: null,
  bootMs: 1000,
  now: Date.parse("2026-05-05T12:30:11Z"),
};
const at = (elapsed: number, over: Partial<BootConsoleInput> = {}) =>
  renderBootConsole({ ...base, ...over, now: base.startedAt + elapsed });

describe("renderBootConsole", () => {
  it("is deterministic per (seed, instance) and differs between instances and seeds", () => {
    expect(at(2000)).toBe(at(2000));
    expect(at(2000, { instanceId: "i-0123456789abcdef1" })).not.toBe(at(2000));
    expect(at(2000, { seed: 2 })).not.toBe(at(2000));
  });

  it("grows with elapsed time: kernel first, runtime start, then the agent ready", () => {
    const steps = [0, 250, 500, 800, 1000].map((elapsed) => at(elapsed));
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]?.startsWith(steps[i - 1] ?? "")).toBe(true);
      expect(steps[i]?.length).toBeGreaterThan(steps[i - 1]?.length ?? 0);
    }
    expect(steps[0]).toMatch(/^\[ {4}0\.000000\] Linux version /);
    expect(steps[2]).toContain("Starting langgraph runtime (tier 2");
    expect(steps[4]).toContain("Workspace agent ready");
    expect(at(60_000)).toBe(steps[4]);
    expect(steps[4]).toContain("\u001b[0;32m  OK  \u001b[0m");
  });

  it("ends a crash boot with the marker line and a Python traceback, before the boot deadline", () => {
    expect(at(550, { crash: true })).not.toContain(CRASH_MARKER);
    const text = at(600, { crash: true });
    const lines = text.trimEnd().split("\r\n");
    const marker = lines.indexOf(CRASH_MARKER);
    expect(lines[marker + 1]).toBe("Traceback (most recent call last):");
    expect(lines.at(-1)).toMatch(/^[A-Za-z]+Error: /);
    expect(text).not.toContain("Workspace agent ready");
    expect(at(60_000, { crash: true })).toBe(text);
  });

  it("shows the shutdown once the instance is stopped", () => {
    const stopped = at(5000, { stoppedAt: base.startedAt + 4000 });
    expect(stopped.trimEnd().split("\r\n").at(-1)).toBe("[    4.000000] reboot: Power down");
    expect(at(3000, { stoppedAt: base.startedAt + 4000 })).not.toContain("Power down");
  });
});
