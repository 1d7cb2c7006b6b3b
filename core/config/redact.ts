/**
 * Scrubbing for any text that came from outside (an upstream error field, a Stop body
 * excerpt) before it reaches a person, a log or an export. The seed's log-scrub audit found
 * a CP echoing request headers into error bodies; a token, or even its first characters,
 * must never be printed (SPEC §5: "length at most").
 */
const REDACTED = "[redacted]";

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 4;

export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  const sorted = secrets
    .filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const secret of sorted) out = out.split(secret).join(REDACTED);
  // A bearer header echoed back with a secret we were not told about.
  return out.replace(/(bearer\s+)[^\s"',;]+/gi, `$1${REDACTED}`);
}

/**
 * Removes terminal control sequences and other control characters from upstream text, so a
 * hostile or broken CP cannot rewrite a support engineer's terminal through an error line.
 */
export function stripControlChars(text: string): string {
  return text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, "")
    .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g, "")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "")
    .replace(/[\r\n\t]+/g, " ");
}

/** How a secret may be described: its length only, never a prefix. */
export function describeSecret(secret: string | undefined): string {
  return secret ? `set (${secret.length} chars)` : "not set";
}
