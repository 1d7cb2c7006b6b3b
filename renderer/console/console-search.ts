import type { Segment } from "./ansi";

export interface ConsoleMatch {
  line: number;
  start: number;
  end: number;
}

export interface SearchOptions {
  caseSensitive?: boolean;
  /** Stop counting after this many (the count then shows "10000+"). */
  max?: number;
}

export const MAX_MATCHES = 10_000;

/**
 * Every occurrence of `query` (literal text, not a pattern) in the lines' plain text. One regex
 * with the query escaped: case-insensitive matching keeps indices exact even where lower-casing
 * would change a string's length. 256 KiB takes a few milliseconds.
 */
export function searchLines(
  lines: readonly { text: string }[],
  query: string,
  options: SearchOptions = {},
): ConsoleMatch[] {
  if (query === "") return [];
  const max = options.max ?? MAX_MATCHES;
  const re = new RegExp(escapeRegExp(query), options.caseSensitive ? "g" : "gi");
  const matches: ConsoleMatch[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] as { text: string }).text;
    if (text.length < query.length) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      matches.push({ line: i, start: m.index, end: m.index + m[0].length });
      if (matches.length >= max) return matches;
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return matches;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The match to go to from `current` (wrapping), or -1 when there is none. */
export function stepMatch(count: number, current: number, direction: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0 || current >= count) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}

/** A piece of a rendered line: a segment, or the part of one that a match covers. */
export interface Piece extends Segment {
  /** 0: not a match, 1: a match, 2: the current match. */
  mark: 0 | 1 | 2;
}

/** Cuts a line's segments at match boundaries, so matches are marked inside coloured text. */
export function markSegments(
  segments: readonly Segment[],
  ranges: readonly { start: number; end: number; current: boolean }[],
): Piece[] {
  if (ranges.length === 0) return segments.map((s) => ({ ...s, mark: 0 }));
  const pieces: Piece[] = [];
  let offset = 0;
  let r = 0;
  for (const seg of segments) {
    const segEnd = offset + seg.text.length;
    let at = offset;
    while (at < segEnd) {
      while (r < ranges.length && (ranges[r] as { end: number }).end <= at) r++;
      const range = ranges[r];
      if (!range || range.start >= segEnd) {
        pieces.push({ ...seg, text: seg.text.slice(at - offset), mark: 0 });
        break;
      }
      if (range.start > at) {
        pieces.push({ ...seg, text: seg.text.slice(at - offset, range.start - offset), mark: 0 });
        at = range.start;
      }
      const end = Math.min(range.end, segEnd);
      pieces.push({ ...seg, text: seg.text.slice(at - offset, end - offset), mark: range.current ? 2 : 1 });
      at = end;
    }
    offset = segEnd;
  }
  return pieces;
}
