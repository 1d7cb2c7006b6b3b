/**
 * A 53-bit hash (cyrb53) of an event's identity, stored as an INTEGER UNIQUE key: an order of
 * magnitude cheaper per row than a SHA digest on a million-line import, and a small index.
 * A collision is not trusted blindly: the insert path compares the stored row and re-salts
 * (see TimelineEvents.record), so two different records never merge.
 */
export function hash53(text: string, salt = 0): number {
  let h1 = 0xdeadbeef ^ salt;
  let h2 = 0x41c6ce57 ^ salt;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * hash53(recordIdentity({ ts, event, fieldsJson }, occurrence)) without building that string
 * (the import computes one for every record): the same characters, "\0"-separated, mixed in
 * the same order, so the keys are those every cache already holds.
 */
export function identityHash53(ts: number | null, event: string, fieldsJson: string, occurrence: number): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let part = 0; part < 4; part++) {
    const text =
      part === 0 ? (ts === null ? "" : String(ts)) : part === 1 ? event : part === 2 ? fieldsJson : String(occurrence);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    if (part < 3) {
      // the "\0" separator: h ^ 0 === h
      h1 = Math.imul(h1, 2654435761);
      h2 = Math.imul(h2, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
