import type { TimelineFilterInput } from "../../core/api/schemas";

/** One place for the TanStack Query keys, so live updates and actions invalidate the right data. */
export const keys = {
  appInfo: ["app.info"] as const,
  settings: ["settings"] as const,
  profiles: ["profiles"] as const,
  workspaces: ["workspaces.list"] as const,
  detail: (id: string) => ["workspaces.get", id] as const,
  /** Every workspace's detail (a prefix of `detail`). */
  details: ["workspaces.get"] as const,
  console: (id: string, cached: boolean) => ["console", id, cached ? "cached" : "live"] as const,
  timeline: (filter: TimelineFilterInput) => ["timeline", filter] as const,
  workspaceEvents: (id: string) => ["timeline", { workspaceId: id }, "workspace"] as const,
};
