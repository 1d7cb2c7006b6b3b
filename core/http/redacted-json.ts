import type { Redactor } from "../config/redactor";
import { parseFirstJsonValue } from "./first-json-value";

/**
 * An upstream answer decoded with every secret already removed: the text is redacted before it
 * is parsed, so no string of the value (object keys included) can carry one into the core. A cut
 * of a secret's run that went through a JSON escape could leave invalid JSON: then the original
 * is decoded and each of its strings redacted, so redaction never turns a good answer into a
 * decode error.
 */
export function parseRedactedJson(
  text: string,
  redactor: Redactor,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const redacted = redactor.text(text);
  const parsed = parseFirstJsonValue(redacted);
  if (parsed.ok || redacted === text) return parsed;
  const original = parseFirstJsonValue(text);
  return original.ok ? { ok: true, value: redactor.value(original.value) } : parsed;
}
