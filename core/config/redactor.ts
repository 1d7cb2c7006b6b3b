/**
 * Removes every configured secret from text that came from outside (docs/contracts.md §5: a tenant or a CP may
 * echo a secret in any field: an error page that quotes the request's headers, a workspace field
 * a misbehaving agent filled, a console that printed its environment). Not only the secret as it
 * is, but the forms it travels in, and the pieces a cut leaves:
 * - as is, URL-encoded (upper- and lower-case hex), JSON-escaped (also Go's HTML-safe escapes);
 * - base64, standard and URL-safe, at each of the three alignments it can sit at inside a longer
 *   encoded value (`Basic base64(user:secret)`, a JWT, a base64'd env dump);
 * - a run of at least 8 characters of the start or the end of any of these forms: what a cut at
 *   a size limit leaves of a secret (`…X-Molecule-Admin-Token: ADMINTOK`), ours or the upstream's.
 * Redact first, cut after: callers bound text only after this ran. One instance serves every
 * string of a profile's upstreams; building one is the costly part, applying it is a few native
 * substring searches a form.
 */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 4;
/** A partial run this long is unmistakably the secret (the secret scans look for 8-character prefixes). */
const MIN_RUN = 8;

interface Form {
  text: string;
  /** The first and last MIN_RUN characters: where a run cut from either side is searched from. */
  head: string;
  tail: string;
}

export class Redactor {
  private readonly forms: Form[];
  private readonly short: string[];

  constructor(secrets: readonly (string | null | undefined)[]) {
    const distinct = [...new Set(secrets.filter((s): s is string => typeof s === "string"))];
    const usable = distinct.filter((s) => s.length >= MIN_SECRET_LENGTH);
    const texts = new Set<string>();
    for (const secret of usable) for (const f of formsOf(secret)) texts.add(f);
    // Longest first, so a form is replaced whole before a shorter one could match inside it.
    const all = [...texts].sort((a, b) => b.length - a.length);
    this.forms = all
      .filter((t) => t.length >= MIN_RUN)
      .map((t) => ({ text: t, head: t.slice(0, MIN_RUN), tail: t.slice(-MIN_RUN) }));
    this.short = all.filter((t) => t.length < MIN_RUN);
  }

  /** Whether there is anything to redact at all. */
  get active(): boolean {
    return this.forms.length > 0 || this.short.length > 0;
  }

  /** The text with every form of every secret, and every cut-off run of one, replaced. */
  text(input: string): string {
    // Every match of every form is found in the input as it came, then their union is replaced:
    // replacing one form before searching the next would let a longer form's head (the same
    // first characters as the secret's, say URL-encoded) eat the start of the secret as is and
    // leave its middle behind.
    const ranges: Array<[number, number]> = [];
    for (const form of this.forms) {
      if (input.includes(form.head)) formRuns(input, form.text, form.head, "start", ranges);
      if (input.includes(form.tail)) formRuns(input, form.text, form.tail, "end", ranges);
    }
    for (const s of this.short) {
      for (let at = input.indexOf(s); at !== -1; at = input.indexOf(s, at + 1)) ranges.push([at, at + s.length]);
    }
    const out = ranges.length === 0 ? input : replaceRanges(input, ranges);
    // A bearer header echoed back with a secret this profile was not given.
    return out.replace(/(bearer\s+)(?!\[redacted\])[^\s"',;\\]+/gi, `$1${REDACTED}`);
  }

  /** A parsed JSON value with every string (object keys included) redacted; the shape is kept. */
  value<T>(input: T): T {
    return redactValue(input, this) as T;
  }
}

function redactValue(v: unknown, r: Redactor): unknown {
  if (typeof v === "string") return r.text(v);
  if (Array.isArray(v)) return v.map((item) => redactValue(item, r));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      Object.defineProperty(out, r.text(key), {
        value: redactValue(item, r),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return v;
}

/**
 * Where the form stands whole, or a run of MIN_RUN or more characters that is the form's start
 * (cut after it) or its end (cut before it): `anchor` is its first or last MIN_RUN characters,
 * and each match is extended over as much of the form as follows (or precedes) it.
 */
function formRuns(
  input: string,
  form: string,
  anchor: string,
  side: "start" | "end",
  ranges: Array<[number, number]>,
): void {
  for (let at = input.indexOf(anchor); at !== -1; at = input.indexOf(anchor, at + 1)) {
    if (side === "start") {
      let n = anchor.length;
      while (n < form.length && input[at + n] === form[n]) n++;
      ranges.push([at, at + n]);
    } else {
      // The anchor is the form's last MIN_RUN characters: extend backwards over the form's end.
      let n = anchor.length;
      while (
        n < form.length &&
        at - (n - anchor.length) - 1 >= 0 &&
        input[at - (n - anchor.length) - 1] === form[form.length - n - 1]
      )
        n++;
      ranges.push([at + anchor.length - n, at + anchor.length]);
    }
  }
}

/** The input with each maximal union of overlapping (or touching) ranges replaced by one marker. */
function replaceRanges(input: string, ranges: Array<[number, number]>): string {
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = "";
  let last = 0;
  let i = 0;
  while (i < ranges.length) {
    const from = ranges[i]![0];
    let to = ranges[i]![1];
    for (i++; i < ranges.length && ranges[i]![0] <= to; i++) to = Math.max(to, ranges[i]![1]);
    out += input.slice(last, from) + REDACTED;
    last = to;
  }
  return out + input.slice(last);
}

/** Every way a secret travels in text this console receives. */
function formsOf(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const url = encodeURIComponent(secret);
  forms.add(url);
  forms.add(url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  const bytes = Buffer.from(secret, "utf8");
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
    // Only the characters whose 6 bits all come from the secret: what it encodes to wherever it sits.
    const from = Math.ceil((8 * k) / 6);
    const to = Math.floor((8 * (k + bytes.length)) / 6);
    const middle = b64.slice(from, to);
    // A short encoded form would match ordinary base64 text; such secrets are matched as they are.
    if (middle.length >= MIN_RUN) {
      forms.add(middle);
      forms.add(middle.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return [...forms];
}
