/**
 * Agent cards of the fixtures' registered workspaces. An agent POSTs its card to
 * /registry/register (handlers/registry.go Register), which stores it in workspaces.agent_card
 * (JSONB) and broadcasts it in WORKSPACE_ONLINE. So there are two spellings of one card:
 * - as the agent sent it (the /ws push: json.RawMessage, compacted and HTML-escaped), and
 * - as Postgres gives it back (GET /workspaces, GET /workspaces/:id, GET /events): jsonb key
 *   order, shorter keys first, then bytewise.
 */

/** Research Lead's card, as its runtime sent it (A2A AgentCard field order). */
export const LEAD_CARD_SENT = String.raw`{"name":"Research Lead","description":"Leads the research team \u0026 reviews every delegated result","url":"http://172.31.14.87:8000","version":"0.9.4","capabilities":{"streaming":true,"pushNotifications":false},"skills":[{"id":"research.plan","name":"Plan research","description":"Breaks a question into sub-tasks \u0026 delegates them","tags":["research","planning"]},{"id":"research.summarise","name":"Summarise findings","description":"Writes a sourced summary of what the team found","tags":["summary"]}],"defaultInputModes":["text"],"defaultOutputModes":["text"]}`;

/** The same card read back from workspaces.agent_card / structure_events.payload (jsonb order). */
export const LEAD_CARD_JSONB = String.raw`{"url":"http://172.31.14.87:8000","name":"Research Lead","skills":[{"id":"research.plan","name":"Plan research","tags":["research","planning"],"description":"Breaks a question into sub-tasks \u0026 delegates them"},{"id":"research.summarise","name":"Summarise findings","tags":["summary"],"description":"Writes a sourced summary of what the team found"}],"version":"0.9.4","description":"Leads the research team \u0026 reviews every delegated result","capabilities":{"streaming":true,"pushNotifications":false},"defaultInputModes":["text"],"defaultOutputModes":["text"]}`;

/** Code Reviewer's card (jsonb order). */
export const REVIEWER_CARD_JSONB = String.raw`{"url":"http://172.31.9.203:8000","name":"Code Reviewer","skills":[{"id":"review.pr","name":"Review a pull request","tags":["code-review","github"],"description":"Reviews a diff for correctness, tests and \u003cTODO\u003e markers"}],"version":"1.2.0","description":"Reviews pull requests on payments-api","capabilities":{"streaming":true,"pushNotifications":true},"defaultInputModes":["text"],"defaultOutputModes":["text"]}`;

/** Archivist's card (jsonb order); a hibernated workspace keeps its card. */
export const ARCHIVIST_CARD_JSONB = `{"url":"http://172.31.22.140:8000","name":"Archivist","skills":[{"id":"kb.file","name":"File a document","tags":["knowledge-base"],"description":"Tags and files a document in the team knowledge base"}],"version":"0.4.0","description":"Keeps the team knowledge base tidy","capabilities":{"streaming":false,"pushNotifications":false},"defaultInputModes":["text"],"defaultOutputModes":["text"]}`;
