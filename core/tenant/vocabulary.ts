/**
 * The tenant platform's vocabularies (docs/contracts.md §3). They grow: a status or runtime not listed here
 * is kept and shown as itself, never mapped to a known one.
 */
export const WORKSPACE_STATUSES = [
  "provisioning",
  "online",
  "offline",
  "degraded",
  "failed",
  "removed",
  "paused",
  "hibernating",
  "hibernated",
  "awaiting_agent",
] as const;

export const RUNTIMES = [
  "langgraph",
  "claude-code",
  "openclaw",
  "crewai",
  "autogen",
  "deepagents",
  "hermes",
  "codex",
  "gemini-cli",
  "external",
] as const;

/** The status a tenant event announces (docs/contracts.md §3 event types); other event types change none. */
export const STATUS_OF_EVENT: Readonly<Record<string, string>> = {
  WORKSPACE_PROVISIONING: "provisioning",
  WORKSPACE_PROVISION_FAILED: "failed",
  WORKSPACE_ONLINE: "online",
  WORKSPACE_OFFLINE: "offline",
  WORKSPACE_DEGRADED: "degraded",
  WORKSPACE_PAUSED: "paused",
  WORKSPACE_HIBERNATED: "hibernated",
  WORKSPACE_AWAITING_AGENT: "awaiting_agent",
  WORKSPACE_REMOVED: "removed",
};

/** Statuses in which the workspace should have a running instance on the CP. */
export const EXPECTS_RUNNING: ReadonlySet<string> = new Set(["online", "degraded"]);

/** Statuses in which nothing is expected to run, so a status check has nothing to ask. */
export const AT_REST: ReadonlySet<string> = new Set(["removed", "paused", "hibernating", "hibernated"]);
