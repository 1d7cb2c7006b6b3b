/**
 * A marshaller that writes what Go's `encoding/json.Marshal` writes for the `map[string]any`
 * payloads of the platform's provlog helper (docs/contracts.md §4: the console emits the same format as the
 * server, so the two timelines merge and grep/jq treat them alike). Where `JSON.stringify`
 * and Go differ, Go wins:
 * - map keys are sorted bytewise (UTF-8 order) at every level;
 * - `<`, `>`, `&`, U+2028 and U+2029 are escaped (Go's HTML-safe default);
 * - values Go cannot marshal (NaN, ±Inf, funcs, cycles) are errors, not silent `null`s.
 */

/** Go's `*json.UnsupportedTypeError` / `*json.UnsupportedValueError` / `*json.MarshalerError`. */
export class ProvlogMarshalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProvlogMarshalError";
  }
}

/**
 * Go has no depth limit, but JS recursion does; nothing the console logs nests this deep, so
 * past it we fail like any unsupported value instead of risking a stack overflow.
 */
const MAX_DEPTH = 1000;

export function formatGoJson(value: unknown): string {
  try {
    return marshal(value, "", 0, new Set(), false);
  } catch (err) {
    if (err instanceof ProvlogMarshalError) throw err;
    // A throwing getter or Proxy trap: still a marshal failure, so the caller can keep the
    // event boundary with `_marshal_err` (seed: "marshal-error fallback preserves event boundary").
    const message = err instanceof Error ? err.message : String(err);
    throw new ProvlogMarshalError(`json: error calling MarshalJSON: ${message}`, { cause: err });
  }
}

function marshal(value: unknown, key: string, depth: number, stack: Set<object>, converted: boolean): string {
  switch (typeof value) {
    case "string":
      return quoteGoString(value);
    case "number":
      return formatGoNumber(value);
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      // A nil interface in Go; object properties that are undefined never get here.
      return "null";
    case "bigint":
      throw new ProvlogMarshalError("json: unsupported type: bigint");
    case "symbol":
      throw new ProvlogMarshalError("json: unsupported type: symbol");
    case "function":
      throw new ProvlogMarshalError("json: unsupported type: func");
  }
  if (value === null) return "null";
  const obj = value as object;
  if (obj instanceof Date) return quoteGoString(formatGoTime(obj));
  // Go marshals []byte as a base64 string; Buffer's own toJSON would give {"type":"Buffer",...}.
  if (obj instanceof Uint8Array)
    return quoteGoString(Buffer.from(obj.buffer, obj.byteOffset, obj.length).toString("base64"));
  if (!converted && typeof (obj as { toJSON?: unknown }).toJSON === "function") {
    // Go's json.Marshaler: called once, its result marshalled as data (as JSON.stringify does).
    let replaced: unknown;
    try {
      replaced = (obj as { toJSON: (key: string) => unknown }).toJSON(key);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ProvlogMarshalError(`json: error calling MarshalJSON: ${message}`, { cause: err });
    }
    return marshal(replaced, key, depth, stack, true);
  }
  if (obj instanceof Number) return formatGoNumber(obj.valueOf());
  if (obj instanceof String) return quoteGoString(obj.valueOf());
  if (obj instanceof Boolean) return obj.valueOf() ? "true" : "false";

  if (stack.has(obj)) throw new ProvlogMarshalError("json: unsupported value: encountered a cycle via object");
  if (depth >= MAX_DEPTH) {
    throw new ProvlogMarshalError(`json: unsupported value: nesting deeper than ${MAX_DEPTH} levels`);
  }
  // A stack, not a "seen" set: the same object twice side by side is not a cycle.
  stack.add(obj);
  try {
    if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
      const items = obj as ArrayLike<unknown>;
      const parts: string[] = [];
      for (let i = 0; i < items.length; i++) parts.push(marshal(items[i], String(i), depth + 1, stack, false));
      return `[${parts.join(",")}]`;
    }
    // A Set has no Go counterpart; its values are what a Go author would put in a slice.
    if (obj instanceof Set) {
      const parts: string[] = [];
      let i = 0;
      for (const item of obj) parts.push(marshal(item, String(i++), depth + 1, stack, false));
      return `[${parts.join(",")}]`;
    }
    const entries: [string, unknown][] = [];
    if (obj instanceof Map) {
      for (const [k, v] of obj) {
        // Go's map[string]any: other key types would need an encoding Go would not have chosen.
        if (typeof k !== "string") throw new ProvlogMarshalError(`json: unsupported type: map with ${typeof k} keys`);
        entries.push([k, v]);
      }
    } else {
      for (const k of Object.keys(obj)) entries.push([k, (obj as Record<string, unknown>)[k]]);
    }
    entries.sort((a, b) => compareUtf8(a[0], b[0]));
    const parts: string[] = [];
    for (const [k, v] of entries) {
      // JSON.stringify's rule for missing values; Go has no undefined to say otherwise.
      if (v === undefined) continue;
      parts.push(`${quoteGoString(k)}:${marshal(v, k, depth + 1, stack, false)}`);
    }
    return `{${parts.join(",")}}`;
  } finally {
    stack.delete(obj);
  }
}

/**
 * Go's float64 encoding: shortest round-trip digits, exponent form below 1e-6 and from 1e21
 * (the same cut-offs and digits as Number#toString), and `-0` kept as `-0`.
 */
function formatGoNumber(n: number): string {
  if (Number.isNaN(n)) throw new ProvlogMarshalError("json: unsupported value: NaN");
  if (n === Number.POSITIVE_INFINITY) throw new ProvlogMarshalError("json: unsupported value: +Inf");
  if (n === Number.NEGATIVE_INFINITY) throw new ProvlogMarshalError("json: unsupported value: -Inf");
  if (n === 0 && 1 / n < 0) return "-0";
  return String(n);
}

/** Go's time.Time.MarshalJSON: RFC 3339 with up to nanoseconds, trailing fraction zeros trimmed. */
function formatGoTime(d: Date): string {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new ProvlogMarshalError("json: unsupported value: Invalid Date");
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new ProvlogMarshalError(
      "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]",
    );
  }
  // toISOString always writes ".sss"; Go's RFC3339Nano layout drops zeros (".120" → ".12", ".000" → "").
  return d.toISOString().replace(/\.?0+Z$/, "Z");
}

/**
 * Orders keys as Go's `sort` over UTF-8 bytes does, which is code point order. Plain `<` on JS
 * strings compares UTF-16 units and puts U+E000..U+FFFF after astral characters; Go does not.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Move surrogates (astral code points) above the rest of the BMP.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const HEX = "0123456789abcdef";
/** Anything Go's encodeState.string would escape; one class, no alternation, so no backtracking. */
const NEEDS_ESCAPE = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;

/** Go's string encoding with escapeHTML on (the json.Marshal default). */
export function quoteGoString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20) {
      switch (c) {
        // Go ≥ 1.22 writes \b and \f short; earlier releases wrote \u0008 / \u000c.
        case 0x08:
          esc = "\\b";
          break;
        case 0x0c:
          esc = "\\f";
          break;
        case 0x0a:
          esc = "\\n";
          break;
        case 0x0d:
          esc = "\\r";
          break;
        case 0x09:
          esc = "\\t";
          break;
        default:
          esc = `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
      }
    } else if (c === 0x22) {
      esc = '\\"';
    } else if (c === 0x5c) {
      esc = "\\\\";
    } else if (c === 0x3c || c === 0x3e || c === 0x26) {
      esc = `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
    } else if (c === 0x2028 || c === 0x2029) {
      esc = `\\u${c.toString(16)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair: written as is
        continue;
      }
      // A lone surrogate cannot be UTF-8; Go replaces invalid UTF-8 with the escape \ufffd.
      esc = "\\ufffd";
    }
    if (esc === undefined) continue;
    out += s.slice(start, i) + esc;
    start = i + 1;
  }
  return `${out + s.slice(start)}"`;
}
