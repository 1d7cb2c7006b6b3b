import type { Prng } from "./prng";

/** Words and shapes for seeded workspaces and chat: plausible, deterministic per seed. */
export const ADJECTIVES = [
  "billing",
  "research",
  "support",
  "triage",
  "release",
  "pricing",
  "growth",
  "security",
  "docs",
];
export const NOUNS = ["scout", "analyst", "reviewer", "planner", "writer", "auditor", "router", "helper", "curator"];
export const ROLES = ["coordinator", "researcher", "reviewer", "coder", "analyst", "support", "writer"];
export const TASKS = [
  "summarise ticket backlog",
  "review PR #482",
  "draft release notes",
  "triage inbound email",
  "reconcile invoices for March",
];
/** What an agent reports when its model calls fail (WORKSPACE_DEGRADED sample_error). */
export const SAMPLE_ERRORS = ["upstream model timeout after 60s", "429 Too Many Requests from model provider"];
export const PROMPTS = [
  "What changed in the billing service this week?",
  "Summarise the open incidents for the on-call handover.",
  "Draft a reply to the customer asking about SSO.",
  "Which PRs are blocked on review?",
];
export const REPLIES = [
  "Three deploys went out; the only behaviour change is the proration fix in invoices.",
  "Two incidents are open: INC-2231 (degraded search) and INC-2234 (delayed webhooks).",
  "Here is a draft: SSO is available on the Team plan; I can set it up with your IdP today.",
  "PR #481 and #486 are waiting for a second reviewer.",
];

export function instanceIdFrom(rng: Prng): string {
  return `i-${rng.hex(17)}`;
}

export function privateIpFrom(rng: Prng): string {
  return `10.0.${rng.int(0, 15)}.${rng.int(2, 254)}`;
}

/** The A2A agent card an agent registers with (POST /registry/register); stored as jsonb. */
export function agentCardFor(name: string, runtime: string, role: string, url: string): Record<string, unknown> {
  return {
    name,
    description: `${role || "general"} agent (${runtime})`,
    url,
    version: "1.0.0",
    capabilities: { streaming: true, pushNotifications: false },
    defaultInputModes: ["text"],
    defaultOutputModes: ["text"],
    skills: [
      { id: `${role || "general"}-skill`, name: role || "general", description: `Handles ${role || "general"} work` },
    ],
  };
}
