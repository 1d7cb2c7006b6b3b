import { describe, expect, it } from "vitest";
import { isLoopbackHost, startSim } from "./index";

describe("loopback only", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.5", false],
    ["192.168.1.10", false],
    ["::ffff:10.0.0.1", false],
    ["localhost", false],
    ["example.com", false],
    ["", false],
  ])("%j → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it("refuses to start on a non-loopback host, before listening", async () => {
    await expect(startSim({ host: "0.0.0.0" })).rejects.toThrow(/refusing to listen on "0.0.0.0".*loopback/);
    await expect(startSim({ host: "localhost" })).rejects.toThrow(/loopback/);
  });

  it("listens on another loopback address when asked", async () => {
    const sim = await startSim({ host: "127.0.0.2" }).catch(() => undefined);
    // Some sandboxes only route 127.0.0.1; when 127.0.0.2 works the URL must name it.
    if (sim) {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
      await sim.close();
    }
  });
});
