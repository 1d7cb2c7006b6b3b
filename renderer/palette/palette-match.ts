/**
 * How well a palette entry matches what was typed: a prefix beats a word start, which beats a
 * substring, which beats letters in order (so "bla" finds "billing-analyst"). -1: no match.
 */
export function matchScore(query: string, text: string): number {
  const q = query.trim().toLowerCase();
  if (q === "") return 0;
  const t = text.toLowerCase();
  if (t === q) return 1000;
  if (t.startsWith(q)) return 900 - Math.min(t.length, 100);
  const at = t.indexOf(q);
  if (at > 0 && /[\s._:/-]/.test(t[at - 1] ?? "")) return 700 - at;
  if (at > 0) return 500 - at;
  let score = 300;
  let from = 0;
  for (const ch of q) {
    if (ch === " ") continue;
    const i = t.indexOf(ch, from);
    if (i === -1) return -1;
    score -= i - from;
    from = i + 1;
  }
  return Math.max(1, score);
}

export interface Rankable {
  label: string;
  /** Searched too, worth a little less than the label (ids, instance ids, runtimes). */
  keywords?: string;
}

/** The best `limit` entries for the query, best first; the original order breaks ties. */
export function rankEntries<T extends Rankable>(entries: readonly T[], query: string, limit: number): T[] {
  if (query.trim() === "") return entries.slice(0, limit);
  const scored: Array<{ entry: T; score: number; i: number }> = [];
  entries.forEach((entry, i) => {
    // Keywords (ids, instance ids) match as substrings only: letters in order would find a
    // digit and an "e" in nearly every UUID.
    const q = query.trim().toLowerCase();
    const inKeywords = q !== "" && (entry.keywords ?? "").toLowerCase().includes(q) ? 400 : -1;
    const score = Math.max(matchScore(query, entry.label), inKeywords);
    if (score > 0) scored.push({ entry, score, i });
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, limit).map((s) => s.entry);
}
