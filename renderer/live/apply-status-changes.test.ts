import { describe, expect, it } from "vitest";
import type { StatusChange, WorkspaceList, WorkspaceView } from "../../core/api/views";
import { applyStatusChanges } from "./apply-status-changes";

const row = (id: string): WorkspaceView => ({
  id,
  name: `ws-${id}`,
  status: "online",
  tenantStatus: "online",
  source: "sync",
  asOf: "2026-11-29T10:00:00.000Z",
  since: null,
  detail: null,
  runtime: "codex",
  tier: 1,
  instanceId: `i-${id}`,
  instanceCurrent: true,
  lastHeartbeatAt: null,
  stale: true,
  gone: false,
});

const change = (id: string, status: string): StatusChange => ({
  kind: "status",
  workspace_id: id,
  name: `ws-${id}`,
  status,
  previous: "online",
  source: "event",
  as_of: "2026-11-29T10:05:00.000Z",
  since: null,
  detail: null,
});

const list: WorkspaceList = {
  rows: [row("a"), row("b"), row("c")],
  lastSyncAt: null,
  lastSyncError: null,
  connection: null,
};

describe("applyStatusChanges", () => {
  it("replaces only the changed rows, keeping the others' identity", () => {
    const { list: next, unknownIds } = applyStatusChanges(list, [change("b", "degraded"), change("b", "failed")]);
    expect(unknownIds).toEqual([]);
    expect(next.rows[0]).toBe(list.rows[0]);
    expect(next.rows[2]).toBe(list.rows[2]);
    expect(next.rows[1]).toMatchObject({
      status: "failed",
      source: "event",
      asOf: "2026-11-29T10:05:00.000Z",
      stale: false,
    });
    expect(next.rows[1]?.instanceId).toBe("i-b");
    expect(list.rows[1]?.status).toBe("online");
  });

  it("reports ids it does not know and leaves the list as it was", () => {
    const { list: next, unknownIds } = applyStatusChanges(list, [change("z", "provisioning")]);
    expect(next).toBe(list);
    expect(unknownIds).toEqual(["z"]);
  });
});
