/**
 * The one scanner behind every secret scan (the CLI's, the browser host's, the UI's): given the
 * configured secrets, it finds in a text or in raw bytes (a SQLite file, its WAL) any trace of
 * one, in the forms a secret travels in and the pieces a cut leaves (docs/contracts.md §5):
 * - the secret as it is, its first and last 8 characters, and any run of 8 or more characters
 *   from its middle (what a redaction that removed only a secret's ends would leave);
 * - URL-encoded (upper- and lower-case hex), JSON-escaped (also Go's HTML-safe \u003c escapes,
 *   and escaped twice, as a JSON string inside a JSON string), HTML-escaped (the DOM's markup),
 *   each whole and by its first and last 8 characters;
 * - base64, standard and URL-safe, at any alignment: every base64-looking run is decoded at each
 *   of 4 offsets and searched for any 8 consecutive bytes of the secret.
 * Each hit names the secret (by label), the form, where it was and a short context, so a failing
 * scan says what leaked where. It reports nothing on text that holds no secret.
 */

/** A run this long of a secret, or of one of its forms, is unmistakably that secret. */
export const MIN_RUN = 8;
/** Shorter base64-looking runs cannot hold 8 decoded bytes. */
const MIN_BASE64_RUN = 11;
const CONTEXT = 32;

export interface SecretHit {
  /** The secret's label (its name in the configuration), never its value. */
  secret: string;
  /** Which form matched, e.g. "as is", "url-encoded: first 8", "base64 at offset 2". */
  form: string;
  /** Where the scanned text came from (a file, "stdout of sync", a URL). */
  where: string;
  /** Character (or byte) offset of the match in the scanned text, and its length. */
  index: number;
  length: number;
  /** The text around the match, escaped so control bytes show. */
  context: string;
}

interface Needle {
  secret: string;
  form: string;
  text: string;
}

interface SecretWindows {
  label: string;
  /** The secret as given (a run of 8+ of its characters anywhere in a text is a leak). */
  secret: string;
  /** Every run of MIN_RUN consecutive bytes of the secret (UTF-8), as latin1 strings. */
  windows: string[];
}

export type SecretList = readonly string[] | Readonly<Record<string, string>>;

export class SecretProbe {
  private readonly needles: Needle[];
  private readonly windows: SecretWindows[];

  /** Secrets given as a list are labelled "secret #1", …; as a record, by their names. */
  constructor(secrets: SecretList) {
    const entries: Array<[string, string]> = Array.isArray(secrets)
      ? (secrets as readonly string[]).map((s, i) => [`secret #${i + 1}`, s])
      : Object.entries(secrets as Record<string, string>);
    const usable = entries.filter(([, s]) => typeof s === "string" && s.length >= MIN_RUN);
    this.needles = usable.flatMap(([label, s]) => needlesOf(label, s));
    this.windows = usable.map(([label, s]) => ({ label, secret: s, windows: windowsOf(s) }));
  }

  /** Every trace of a secret in `data` (text, or raw bytes read as latin1); [] when clean. */
  find(data: string | Uint8Array, where = "text"): SecretHit[] {
    const text = typeof data === "string" ? data : Buffer.from(data).toString("latin1");
    const hits: SecretHit[] = [];
    for (const n of this.needles) {
      for (let at = text.indexOf(n.text); at !== -1; at = text.indexOf(n.text, at + 1)) {
        const length = n.text.length;
        hits.push({ secret: n.secret, form: n.form, where, index: at, length, context: contextOf(text, at, length) });
        if (hits.length > 200) return hits;
      }
    }
    hits.push(...this.findRuns(text, where));
    hits.push(...this.findBase64(text, where));
    return dedupe(hits);
  }

  /**
   * Runs of MIN_RUN or more characters of a secret as it is, wherever in the secret they start:
   * each reported once, as long as it goes (its ends are needles of their own).
   */
  private findRuns(text: string, where: string): SecretHit[] {
    const hits: SecretHit[] = [];
    for (const s of this.windows) {
      const raw = s.secret;
      const covered: Array<[number, number]> = [];
      for (let from = 1; from + MIN_RUN < raw.length; from++) {
        const window = raw.slice(from, from + MIN_RUN);
        for (let at = text.indexOf(window); at !== -1; at = text.indexOf(window, at + 1)) {
          if (covered.some(([a, b]) => a <= at && at + MIN_RUN <= b)) continue;
          let start = at;
          let k = from;
          while (k > 0 && start > 0 && text[start - 1] === raw[k - 1]) {
            start--;
            k--;
          }
          let end = at + MIN_RUN;
          let e = from + MIN_RUN;
          while (e < raw.length && end < text.length && text[end] === raw[e]) {
            end++;
            e++;
          }
          covered.push([start, end]);
          hits.push({
            secret: s.label,
            form: `as is: ${end - start} characters of it`,
            where,
            index: start,
            length: end - start,
            context: contextOf(text, start, end - start),
          });
          if (hits.length > 200) return hits;
        }
      }
    }
    return hits;
  }

  /** Base64 runs (either alphabet) decoded at offsets 0–3 and searched for 8 bytes of a secret. */
  private findBase64(text: string, where: string): SecretHit[] {
    const hits: SecretHit[] = [];
    const run = /[A-Za-z0-9+/_-]{11,}/g;
    for (let m = run.exec(text); m !== null; m = run.exec(text)) {
      const normal = m[0].replace(/-/g, "+").replace(/_/g, "/");
      const found = new Set<string>();
      for (let offset = 0; offset < 4; offset++) {
        const slice = normal.slice(offset);
        if (slice.length < MIN_BASE64_RUN) break;
        const decoded = Buffer.from(slice.slice(0, slice.length - (slice.length % 4)), "base64").toString("latin1");
        for (const s of this.windows) {
          if (found.has(s.label) || !s.windows.some((w) => decoded.includes(w))) continue;
          found.add(s.label);
          hits.push({
            secret: s.label,
            form: `base64${/[-_]/.test(m[0]) ? " (URL-safe)" : ""}, decoded at offset ${offset}: ${MIN_RUN}+ bytes of it`,
            where,
            index: m.index,
            length: m[0].length,
            context: contextOf(text, m.index, m[0].length),
          });
        }
      }
    }
    return hits;
  }
}

/** Every hit of every secret in the named texts (a convenience for scans over many sources). */
export function scanAll(probe: SecretProbe, sources: Iterable<readonly [string, string | Uint8Array]>): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const [where, data] of sources) hits.push(...probe.find(data, where));
  return hits;
}

/** One line per hit, for a failure message: which secret, in which form, where, and the text around it. */
export function describeHits(hits: readonly SecretHit[]): string {
  return hits.map((h) => `${h.secret} (${h.form}) in ${h.where} at ${h.index}: ${h.context}`).join("\n");
}

/** The forms a secret is searched in as text, each whole and by its first and last MIN_RUN characters. */
function needlesOf(label: string, secret: string): Needle[] {
  const url = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  const forms: Array<[string, string]> = [
    ["as is", secret],
    ["url-encoded", url],
    ["url-encoded, lower-case hex", url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())],
    ["json-escaped", json],
    ["json-escaped (Go)", goEscape(json)],
    ["json-escaped twice", JSON.stringify(json).slice(1, -1)],
    ["json-escaped twice (Go)", JSON.stringify(goEscape(json)).slice(1, -1)],
    ["html-escaped", htmlEscape(secret)],
  ];
  const needles = new Map<string, Needle>();
  for (const [form, text] of forms) {
    const add = (what: string, t: string) => {
      if (!needles.has(t)) needles.set(t, { secret: label, form: what, text: t });
    };
    add(form, text);
    add(`${form}: first ${MIN_RUN}`, text.slice(0, MIN_RUN));
    add(`${form}: last ${MIN_RUN}`, text.slice(-MIN_RUN));
  }
  return [...needles.values()];
}

function windowsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8").toString("latin1");
  const out = new Set<string>();
  for (let i = 0; i + MIN_RUN <= bytes.length; i++) out.add(bytes.slice(i, i + MIN_RUN));
  return [...out];
}

function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function htmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function contextOf(text: string, at: number, length: number): string {
  const from = Math.max(0, at - CONTEXT);
  const to = Math.min(text.length, at + length + CONTEXT);
  return JSON.stringify(`${from > 0 ? "…" : ""}${text.slice(from, to)}${to < text.length ? "…" : ""}`);
}

/**
 * A secret found whole also matches its first and last 8 characters (and its JSON-escaped form
 * may be the same text): a hit inside a longer hit of the same secret is not reported again.
 */
function dedupe(hits: SecretHit[]): SecretHit[] {
  const kept: SecretHit[] = [];
  for (const h of [...hits].sort((a, b) => b.length - a.length || a.index - b.index)) {
    const inside = kept.some(
      (k) => k.secret === h.secret && k.index <= h.index && h.index + h.length <= k.index + k.length,
    );
    if (!inside) kept.push(h);
  }
  return kept.sort((a, b) => a.index - b.index);
}
