import { describe, expect, it } from "vitest";
import type { TimelineView } from "../../core/api/views";
import { journalSteps } from "./journal-steps";

const row = (id: number, ts: string, event: string, fields: Record<string, unknown>): TimelineView => ({
  id,
  ts,
  event,
  workspaceId: "w1",
  instanceId: null,
  fields: JSON.stringify(fields),
  source: "console",
});

describe("journalSteps", () => {
  it("rebuilds the trail of a Stop that failed, ignoring older events", () => {
    const rows = [
      row(1, "2026-11-29T09:00:00.000Z", "restart.pre_stop", { backend: "cp" }),
      row(2, "2026-11-29T10:00:00.010Z", "restart.pre_stop", { backend: "cp" }),
      row(3, "2026-11-29T10:00:00.030Z", "restart.failed", { step: "stop", error: "stop w1: unexpected 503" }),
      row(4, "2026-11-29T10:00:00.040Z", "WORKSPACE_ONLINE", {}),
    ];
    expect(journalSteps(rows, Date.parse("2026-11-29T10:00:00.000Z"))).toEqual([
      { step: "pre_stop", at: "2026-11-29T10:00:00.010Z", detail: "backend cp", origin: "host" },
      { step: "failed", at: "2026-11-29T10:00:00.030Z", detail: "stop w1: unexpected 503", origin: "host" },
    ]);
  });
});
