import type { ConsoleView, ProfileView, TimelineView, WorkspaceView } from "../../core/api/views";

/** The instant every DOM test lives at (the clock is fixed there): 2026-03-14 09:26:53.589 UTC. */
export const NOW = Date.parse("2026-03-14T09:26:53.589Z");

/** An ISO time `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW - seconds * 1000).toISOString();
}

export function workspace(id: string, patch: Partial<WorkspaceView> = {}): WorkspaceView {
  return {
    id,
    name: id.replace(/^ws-/, ""),
    status: "online",
    tenantStatus: "online",
    source: "sync",
    asOf: ago(60),
    since: null,
    detail: null,
    runtime: "hermes",
    tier: 2,
    instanceId: `i-${id.replace(/^ws-/, "")}`,
    instanceCurrent: true,
    lastHeartbeatAt: ago(30),
    stale: false,
    gone: false,
    ...patch,
  };
}

/** `count` workspaces named ws-000, ws-001, … (names sort as their numbers). */
export function manyWorkspaces(count: number): WorkspaceView[] {
  return Array.from({ length: count }, (_, i) => workspace(`ws-${String(i).padStart(3, "0")}`));
}

export function profile(name: string, patch: Partial<ProfileView> = {}): ProfileView {
  return {
    name,
    tenantUrl: "https://tenant.example.com",
    orgId: "org-1",
    cpUrl: "https://cp.example.com",
    hasSecrets: true,
    active: true,
    readOnly: false,
    ...patch,
  };
}

export function consoleView(output: string, patch: Partial<ConsoleView> = {}): ConsoleView {
  return { output, fetchedAt: ago(2), instanceId: "i-alpha", cached: false, ...patch };
}

let nextEventId = 1;

export function event(name: string, patch: Partial<TimelineView> = {}): TimelineView {
  return {
    id: nextEventId++,
    ts: ago(600),
    event: name,
    workspaceId: "ws-alpha",
    instanceId: "i-alpha",
    fields: "{}",
    source: "tenant",
    ...patch,
  };
}
