import { afterEach, describe, expect, it, vi } from "vitest";
import { type LiveBenchResult, report } from "./live-bench";

function run(
  patch: { cpu?: number; p95?: number; frame?: number; rss?: number; lists?: number } = {},
): LiveBenchResult {
  return {
    setup: { workspaces: 10_000, heartbeatMs: 3000, statusChangesPerSecond: 20, windowSeconds: 30 },
    feed: { messages: 90_000, messagesPerSecond: 3000, statusChanges: 600, hostBytes: 1, bareBytes: 1 },
    cpu: { hostMs: 3000, bareClientMs: 1000, ratio: patch.cpu ?? 2.5, hostPercentOfOneCore: 10 },
    latency: { method: "m", counted: 400, missed: 0, p50Ms: 70, p95Ms: patch.p95 ?? 100, maxMs: 150 },
    scroll: { frames: 600, p50Ms: 16.7, p95Ms: patch.frame ?? 16.8, maxMs: 40 },
    rss: { startMb: 180, endMb: 180 * (patch.rss ?? 1), ratio: patch.rss ?? 1 },
    writes: {
      heartbeatWrites: 80_000,
      heartbeatTransactions: 30,
      heartbeatAutocommits: 0,
      autocommits: 1200,
      heartbeatTransactionsPerSecond: 1,
    },
    listRequests: { count: patch.lists ?? 0, perStatusChange: (patch.lists ?? 0) / 600 },
  };
}

describe("live bench report", () => {
  afterEach(() => vi.restoreAllMocks());

  it("takes the best run of each timing figure and the worst of RSS and list requests", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const results = report([run({ cpu: 3.4, p95: 300, rss: 1.1 }), run({ frame: 40, rss: 1.4, lists: 6 })]);
    const verdicts = Object.fromEntries(results.map((r) => [r.name, r.verdict]));
    expect(verdicts).toEqual({
      "live feed host CPU": "PASS",
      "live feed status change → row": "PASS",
      "live feed scroll frames": "PASS",
      "live feed host RSS": "FAIL",
      "live feed liveness writes batched": "PASS",
      "live feed no list refetch per message": "PASS",
    });
    expect(results[0]?.line).toContain("ratio 2.50");
  });

  it("fails a refetch of the whole list per status change", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const results = report([run({ lists: 600 })]);
    expect(results.find((r) => r.name === "live feed no list refetch per message")?.verdict).toBe("FAIL");
  });
});
