/**
 * JSON as the platform's Go code writes it, so a client under test sees a real tenant's bytes:
 * - gin's c.JSON is encoding/json: `<`, `>`, `&`, U+2028 and U+2029 escaped (HTML-safe);
 * - a gin.H / map[string]any has its keys sorted bytewise (handlers/workspace.go's
 *   scanWorkspaceRow, the events handlers, every error body); a struct keeps its field order
 *   (models.WSMessage on /ws), so the caller builds those in order;
 * - a value read from a Postgres jsonb column (event payloads, agent_card) comes back in
 *   jsonb's own key order: shorter keys first, then bytewise (json.RawMessage keeps it).
 * Key order never changes what a JSON value means; it is kept so byte-level comparisons with a
 * real tenant's answers hold.
 */

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** encoding/json.Marshal of a value whose objects are already in the order Go would write. */
export function goJson(value: unknown): string {
  // These characters only ever occur inside JSON strings, so escaping them everywhere is safe.
  return (JSON.stringify(value) ?? "null").replace(HTML_UNSAFE, (ch) => ESCAPES[ch] ?? ch);
}

/** A Go map's marshalling order at the top level (nested json.RawMessage values keep theirs). */
export function goMap<T extends Record<string, unknown>>(fields: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields).sort(byteOrder)) out[key] = fields[key];
  return out as T;
}

/** A deep copy in Postgres jsonb key order (length, then bytes), as `payload::jsonb` reads back. */
export function jsonbOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => jsonbOrder(item)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value as Record<string, unknown>).sort((a, b) => a.length - b.length || byteOrder(a, b));
  for (const key of keys) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = jsonbOrder(item);
  }
  return out as T;
}

/** Go sorts map keys as UTF-8 bytes; for the platform's ASCII keys that is UTF-16 code-unit order. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's %q, for the prose log lines (strconv.Quote; JSON quoting is the same for what the sim logs). */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
