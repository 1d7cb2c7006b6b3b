import { describe, expect, it, vi } from "vitest";
import type { OpsService } from "../core/api/ops-service";
import { OpsError } from "../core/errors";
import { IpcSubscriptions, type SubscriptionMessage } from "./ipc-subscriptions";

const SECRET = "adm-secret-9f8e7d";

/** The service's subscribe contract: items until the signal aborts (or a failure). */
class FakeService implements Pick<OpsService, "subscribe" | "secrets"> {
  running = 0;
  failWith: unknown = null;
  secrets(): string[] {
    return [SECRET];
  }
  async *subscribe(_name: string, _input: unknown, signal: AbortSignal): AsyncGenerator<never> {
    this.running++;
    try {
      if (this.failWith) throw this.failWith;
      let n = 0;
      while (!signal.aborted) {
        yield { kind: "tick", n: n++ } as never;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            resolve();
          };
          const timer = setTimeout(done, 5);
          signal.addEventListener("abort", done, { once: true });
        });
      }
    } finally {
      this.running--;
    }
  }
}

function collect() {
  const messages: Array<[string, SubscriptionMessage]> = [];
  return { messages, send: (id: string, m: SubscriptionMessage) => void messages.push([id, m]) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("IpcSubscriptions", () => {
  it("forwards items under the renderer's id until unsubscribed", async () => {
    const service = new FakeService();
    const subs = new IpcSubscriptions(service as unknown as OpsService);
    const { messages, send } = collect();
    subs.start(1, "s1", "live", {}, send);
    await tick();
    expect(messages.length).toBeGreaterThan(1);
    expect(messages[0]).toEqual(["s1", { item: { kind: "tick", n: 0 } }]);
    subs.stop(1, "s1");
    await tick();
    const count = messages.length;
    await tick();
    expect(messages.length).toBe(count);
    expect(service.running).toBe(0);
    expect(subs.count()).toBe(0);
  });

  it("stops every subscription of a window that went away, and only those", async () => {
    const service = new FakeService();
    const subs = new IpcSubscriptions(service as unknown as OpsService);
    subs.start(1, "a", "live", {}, collect().send);
    subs.start(1, "b", "restart.progress", { id: "ws-1" }, collect().send);
    subs.start(2, "a", "live", {}, collect().send);
    expect(subs.count(1)).toBe(2);
    subs.stopAll(1);
    await tick();
    expect(subs.count(1)).toBe(0);
    expect(subs.count(2)).toBe(1);
    subs.stopAll(2);
    await tick();
    expect(service.running).toBe(0);
  });

  it("answers a bad name or input with a safe error and starts nothing", async () => {
    const service = new FakeService();
    const subs = new IpcSubscriptions(service as unknown as OpsService);
    const { messages, send } = collect();
    subs.start(1, "s1", "files.read", {}, send);
    subs.start(1, "s2", "restart.progress", { id: "../../etc" }, send);
    subs.start(1, "s3", "live", { extra: true }, send);
    subs.start(1, "s4", 42, {}, send);
    expect(messages.map(([id, m]) => [id, "error" in m ? m.error.code : "item"])).toEqual([
      ["s1", "NotFound"],
      ["s2", "Input"],
      ["s3", "Input"],
      ["s4", "NotFound"],
    ]);
    expect(service.running).toBe(0);
  });

  it("ignores ids it could not echo back safely", () => {
    const subs = new IpcSubscriptions(new FakeService() as unknown as OpsService);
    const { messages, send } = collect();
    for (const id of [undefined, 7, "", "x".repeat(65), "a b", "<img>"]) subs.start(1, id, "live", {}, send);
    expect(messages).toEqual([]);
    expect(subs.count()).toBe(0);
  });

  it("reports a failing stream once, redacted", async () => {
    const service = new FakeService();
    service.failWith = new OpsError("Upstream", `tenant refused token ${SECRET}`);
    const subs = new IpcSubscriptions(service as unknown as OpsService);
    const { messages, send } = collect();
    subs.start(1, "s1", "live", {}, send);
    await tick();
    expect(messages).toHaveLength(1);
    const [, message] = messages[0] as [string, SubscriptionMessage];
    expect("error" in message && message.error.code).toBe("Upstream");
    expect(JSON.stringify(message)).not.toContain(SECRET);
    expect(subs.count()).toBe(0);
  });

  it("hides a bug's details behind an internal error, and logs them redacted", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const service = new FakeService();
      service.failWith = new TypeError(`cannot read x of undefined at ${SECRET}`);
      const subs = new IpcSubscriptions(service as unknown as OpsService);
      const { messages, send } = collect();
      subs.start(1, "s1", "live", {}, send);
      await tick();
      expect(messages).toEqual([
        ["s1", { error: { code: "Internal", message: "internal error; see the host's log" } }],
      ]);
      expect(logged).toHaveBeenCalledTimes(1);
      const line = String(logged.mock.calls[0]?.[0]);
      expect(line).toMatch(/^molecule-ops: unexpected error in subscription live: TypeError: cannot read x/);
      expect(line).not.toContain(SECRET);
    } finally {
      logged.mockRestore();
    }
  });

  it("replaces a subscription started again under the same id", async () => {
    const service = new FakeService();
    const subs = new IpcSubscriptions(service as unknown as OpsService);
    subs.start(1, "s1", "live", {}, collect().send);
    subs.start(1, "s1", "live", {}, collect().send);
    await tick();
    expect(subs.count(1)).toBe(1);
    expect(service.running).toBe(1);
    subs.stopAll(1);
  });

  it("bounds the subscriptions of one window", async () => {
    const service = new FakeService();
    const subs = new IpcSubscriptions(service as unknown as OpsService, 2);
    const { messages, send } = collect();
    subs.start(1, "a", "live", {}, send);
    subs.start(1, "b", "live", {}, send);
    subs.start(1, "c", "live", {}, send);
    expect(messages.find(([id]) => id === "c")).toEqual([
      "c",
      { error: { code: "Conflict", message: "this window already has 2 live subscriptions" } },
    ]);
    expect(subs.count(1)).toBe(2);
    subs.stopAll(1);
  });

  it("ends a subscription whose window can no longer be sent to", async () => {
    const service = new FakeService();
    const subs = new IpcSubscriptions(service as unknown as OpsService);
    subs.start(1, "s1", "live", {}, () => {
      throw new Error("Object has been destroyed");
    });
    await tick();
    expect(subs.count()).toBe(0);
    expect(service.running).toBe(0);
  });
});
