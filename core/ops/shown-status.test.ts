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
    boundAt: T - 60_000,
    provisioningAt: null,
    lastHeartbeatAt: null,
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

  it("an instance on file that the tenant may have replaced is no evidence either way", () => {
    const stopped = { cpInstanceId: "i-0123456789abcdef0", cpState: "terminated", cpCheckedAt: T + 10 };
    // The tenant re-provisioned after the binding was learnt (a restart in its canvas, its own
    // auto-restart): the terminated machine is the old one, not the workspace.
    expect(shownStatus(row("online", stopped, { provisioningAt: T - 30_000 })).status).toBe("online");
    // The binding is from that re-provisioning or later: the answer counts again.
    expect(shownStatus(row("online", stopped, { provisioningAt: T - 30_000, boundAt: T - 20_000 })).status).toBe(
      "offline",
    );
    // The agent heartbeat after the CP's answer: it runs somewhere, whatever the CP says of the instance.
    expect(shownStatus(row("online", stopped, { lastHeartbeatAt: T + 11 })).status).toBe("online");
    expect(shownStatus(row("online", stopped, { lastHeartbeatAt: T + 9 })).status).toBe("offline");
    // Doubt about a replaced instance is no doubt about the workspace.
    expect(shownStatus(row("online", { uncertainSince: T + 1 }, { provisioningAt: T })).status).toBe("online");
    expect(shownStatus(row("online", { uncertainSince: T + 1 }, { instanceId: null })).status).toBe("online");
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
    // The console is read by workspace id: a crash seen with no instance on file counts too.
    expect(shownStatus(row("provisioning", { ...crash, crashInstanceId: null }, { instanceId: null })).status).toBe(
      "failed",
    );
    // ...until the tenant re-provisions: the next boot is judged by its own console.
    expect(shownStatus(row("provisioning", crash, { provisioningAt: T + 4 })).status).toBe("provisioning");
  });
});
