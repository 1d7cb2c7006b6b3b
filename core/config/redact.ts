import { stripToOneLine } from "../api/terminal-text";
import { Redactor } from "./redactor";

/**
 * Scrubbing for any text that came from outside (an upstream error field, a Stop body
 * excerpt) before it reaches a person, a log or an export. The seed's log-scrub audit found
 * a CP echoing request headers into error bodies; a token, or even its first characters,
 * must never be printed (docs/contracts.md §5: "length at most").
 */
/**
 * Every form of every secret removed (see Redactor). Callers that redact many strings with the
 * same secrets hold a Redactor of their own; this is for the one-off message.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return new Redactor(secrets).text(text);
}

/**
 * Removes terminal control sequences and other control characters from upstream text, so a
 * hostile or broken CP cannot rewrite a support engineer's terminal through an error line: one
 * line, by the one grammar of core/api/terminal-text.ts.
 */
export function stripControlChars(text: string): string {
  return stripToOneLine(text);
}

/** How a secret may be described: its length only, never a prefix. */
export function describeSecret(secret: string | undefined): string {
  return secret ? `set (${secret.length} chars)` : "not set";
}
