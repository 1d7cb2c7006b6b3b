/**
 * Parses the first JSON value of a text and ignores what follows it, as Go's
 * json.Decoder.Decode does. The CP client reads at most a capped prefix of a body; a small
 * answer padded past the cap must still decode (seed: TestIsRunning_BoundedBodyRead), while a
 * value cut by the cap is a decode error, not an out-of-memory.
 */
export function parseFirstJsonValue(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  let start = 0;
  while (start < text.length && isJsonSpace(text.charCodeAt(start))) start++;
  if (start === text.length) return { ok: false, reason: "empty body" };
  const first = text[start];
  if (first !== "{" && first !== "[") return parseSlice(text.slice(start).trimEnd());
  const end = endOfContainer(text, start);
  if (end < 0) return { ok: false, reason: "unexpected end of JSON input" };
  return parseSlice(text.slice(start, end));
}

function parseSlice(slice: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(slice) };
  } catch {
    return { ok: false, reason: "invalid JSON" };
  }
}

/** Index just past the object/array starting at `start`, or -1 when the text ends first. */
function endOfContainer(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
