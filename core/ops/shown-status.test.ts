import { describe, expect, it } from "vitest";
import type { WorkspaceHealth, WorkspaceRow } from "../store/workspace-rows";
import { shownStatus } from "./shown-status";

const T = Date.parse("2026-05-05T12:00:00Z");

function row(status: string | null, health: Partial<WorkspaceHealth> | null = null, over: Partial<WorkspaceRow> = {}) {
  const h: WorkspaceHealth | null = health && {
    cpInstanceId: null,
    cpState: null,
    cpCheckedAt: null,
    uncertainSince: null,
    uncertainAt: null,
    uncertainError: null,
    crashInstanceId: null,
    crashError: null,
    crashTail: null,
    crashAt: null,
    crashReportedAt: null,
    ...health,
  };
  const r: WorkspaceRow = {
    id: "ws-1",
    name: "one",
    status,
    runtime: "langgraph",
    tier: 2,
    parentId: null,
    instanceId: "i-0123456789abcdef0",
    asOf: T,
    lastSeenAt: T,
    extra: {},
    statusSource: "sync",
    statusAt: T,
    health: h,
    ...over,
  };
  return r;
}

describe("shownStatus", () => {
  it("shows the tenant's word, unknown statuses as themselves, with source and time", () => {
    expect(shownStatus(row("online"))).toEqual({
      status: "online",
      source: "sync",
      asOf: T,
      since: null,
      detail: null,
    });
    expect(shownStatus(row("quarantined")).status).toBe("quarantined");
    expect(shownStatus(row(null)).status).toBe("unknown");
    expect(shownStatus(row("degraded", null, { statusSource: "event", statusAt: T + 5 }))).toMatchObject({
      source: "event",
      asOf: T + 5,
    });
  });

  it("failing checks make it uncertain since the first failure, never offline", () => {
    const s = shownStatus(
      row("online", { uncertainSince: T + 1, uncertainAt: T + 9, uncertainError: "status: unexpected 503" }),
    );
    expect(s).toEqual({
      status: "uncertain",
      source: "cp",
      asOf: T + 9,
      since: T + 1,
      detail: "status: unexpected 503",
    });
    // Even with an older definitive "stopped" on file: doubt wins over stale evidence.
    expect(
      shownStatus(
        row("online", {
          uncertainSince: T + 1,
          cpState: "stopped",
          cpCheckedAt: T,
          cpInstanceId: "i-0123456789abcdef0",
        }),
      ).status,
    ).toBe("uncertain");
    // At rest nothing is expected to run: no doubt to show.
    expect(shownStatus(row("hibernated", { uncertainSince: T + 1 })).status).toBe("hibernated");
  });

  it("a definitive non-running answer about the bound instance, newer than the tenant's word, shows offline", () => {
    const stopped = { cpInstanceId: "i-0123456789abcdef0", cpState: "terminated", cpCheckedAt: T + 10 };
    expect(shownStatus(row("online", stopped))).toMatchObject({ status: "offline", source: "cp", asOf: T + 10 });
    // Older than what the tenant said since: the tenant's word stands.
    expect(shownStatus(row("online", { ...stopped, cpCheckedAt: T - 1 })).status).toBe("online");
    // About another instance than the bound one (a restart since): not evidence.
    expect(shownStatus(row("online", { ...stopped, cpInstanceId: "i-0000000000000000f" })).status).toBe("online");
    // Provisioning: pending is expected, not down.
    expect(shownStatus(row("provisioning", { ...stopped, cpState: "pending" })).status).toBe("provisioning");
  });

  it("a crash seen on the console of the provisioning instance shows failed, from the console", () => {
    const crash = { crashInstanceId: "i-0123456789abcdef0", crashError: "RUNTIME CRASHED: KeyError", crashAt: T + 3 };
    expect(shownStatus(row("provisioning", crash))).toMatchObject({
      status: "failed",
      source: "console",
      detail: "RUNTIME CRASHED: KeyError",
    });
    // A new boot (another instance) is not condemned by the old one's crash.
    expect(shownStatus(row("provisioning", crash, { instanceId: "i-0000000000000000f" })).status).toBe("provisioning");
    // Once the tenant moved on, its word stands.
    expect(shownStatus(row("online", crash)).status).toBe("online");
  });
});
