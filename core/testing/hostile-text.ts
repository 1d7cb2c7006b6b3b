/**
 * Text that carries the configured secrets in every form an upstream could echo them in, for the
 * hostile upstream (hostile-upstream.ts) to plant in every free-text field, key, header, console
 * line and /ws message. For each secret:
 * - as it is; `Bearer <s>`; `Authorization: Basic base64(user:<s>)`;
 * - URL-encoded, upper- and lower-case hex (`?token=…`);
 * - JSON-escaped as JSON.stringify does and as Go does (`\u003c`, `\u003e`, `\u0026`): the field's
 *   value holds the escaped text, as a JSON document quoted inside a string would;
 * - base64, standard and URL-safe, at the three alignments (0, 1 and 2 bytes before it);
 * and around them the pieces a cut leaves: each text starts with the end of a secret (what is left
 * after a cut before it) and ends with the start of one (what a cut at a size limit leaves:
 * `…X-Molecule-Admin-Token: ADMINTOK`), at least 8 characters of each, rotating over the secrets.
 */
export interface HostileText {
  /** The secrets planted, as given. */
  readonly secrets: readonly string[];
  /** A free-text value: every form of every secret, between a secret's end and another's start. */
  text(label: string): string;
  /** An ASCII-only value fit for an HTTP header (no CR, LF or non-Latin-1 characters). */
  header(label: string): string;
  /** Every form of every secret, one entry each (a console prints them a line each). */
  forms(): string[];
  /** The start of a secret (≥ 8 characters), for a text to end with. */
  prefixCut(): string;
  /** The end of a secret (≥ 8 characters), for a text to start with. */
  suffixCut(): string;
}

export function hostileText(secrets: readonly string[]): HostileText {
  const usable = secrets.filter((s) => s.length >= 8);
  if (usable.length === 0) throw new Error("hostileText: no secret of 8 characters or more to plant");
  const all = usable.flatMap((s) => formsOf(s));
  let turn = 0;
  const next = () => {
    const s = usable[turn % usable.length]!;
    // 8 to 13 characters: a cut lands anywhere.
    const n = 8 + (turn % 6);
    turn++;
    return { s, n };
  };
  const prefixCut = () => {
    const { s, n } = next();
    return s.slice(0, n);
  };
  const suffixCut = () => {
    const { s, n } = next();
    return s.slice(-n);
  };
  return {
    secrets: usable,
    forms: () => [...all],
    prefixCut,
    suffixCut,
    text(label) {
      return `${suffixCut()} ${label}: ${all.join(" | ")} X-Molecule-Admin-Token: ${prefixCut()}`;
    },
    header(label) {
      const value = `${suffixCut()} ${label}: ${all.join(" ")} ${prefixCut()}`;
      // Every form is ASCII when the secrets are; a non-ASCII secret is planted base64'd only.
      return /^[\x20-\x7e]*$/.test(value)
        ? value
        : `${label}: ${all.filter((f) => /^[\x20-\x7e]*$/.test(f)).join(" ")}`;
    },
  };
}

function formsOf(s: string): string[] {
  const url = encodeURIComponent(s);
  const json = JSON.stringify(s).slice(1, -1);
  const go = json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const b64 = (prefix: string, alphabet: "base64" | "base64url") =>
    Buffer.from(`${prefix}${s}`, "utf8").toString(alphabet);
  return [
    s,
    `Bearer ${s}`,
    `token=${url}`,
    `token=${url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())}`,
    `{"token":"${json}"}`,
    `{"token":"${go}"}`,
    b64("", "base64"),
    b64("=", "base64"),
    b64("T=", "base64"),
    b64("", "base64url"),
    b64(":", "base64url"),
    b64("k:", "base64url"),
    `Authorization: Basic ${Buffer.from(`user:${s}`, "utf8").toString("base64")}`,
  ];
}
