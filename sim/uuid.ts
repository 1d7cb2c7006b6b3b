/**
 * Workspace ids as the platform reads them. GET /workspaces/:id checks the id with google/uuid's
 * uuid.Parse before the query (handlers/workspace_crud.go validateWorkspaceID, #687): the
 * canonical 36-character form, `{…}`, `urn:uuid:…` and 32 bare hex digits, any case. Postgres'
 * uuid column compares the canonical lowercase value, so lookups use that.
 */
const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BARE = /^[0-9a-f]{32}$/;

/** The canonical lowercase id, or null when uuid.Parse would refuse it. */
export function parseUuid(text: string): string | null {
  let s = text.toLowerCase();
  if (s.length === 45 && s.startsWith("urn:uuid:")) s = s.slice(9);
  else if (s.length === 38 && s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  if (CANONICAL.test(s)) return s;
  if (BARE.test(s)) return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  return null;
}

/**
 * Whether Postgres accepts the text as a uuid value: a query with anything else fails ("invalid
 * input syntax for type uuid"), which the handlers answer as a 500 (Restart "lookup failed",
 * BootstrapFailed "db update failed", events "query failed"). Postgres does not take `urn:uuid:`.
 */
export function postgresUuid(text: string): string | null {
  return text.toLowerCase().startsWith("urn:") ? null : parseUuid(text);
}
