/**
 * The tenant platform's vocabularies (SPEC §3). They grow: a status or runtime not listed here
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
