/**
 * How long to wait before trying a GET again after a 429 (docs/contracts.md §3: at most 3 tries, 30 s of
 * waiting in all). The platform's limiter (middleware/ratelimit.go: 600 requests a minute per
 * client IP, shared by every console and canvas behind one NAT) says when its bucket refills in
 * Retry-After; a proxy in front of it may send an HTTP date instead. Without the header we back
 * off 1 s, 2 s with ±25 % jitter, as the platform's own Python SDK does.
 */
export const MAX_TRIES = 3;
export const MAX_WAIT_MS = 30_000;

export function retryAfterMs(
  header: string | string[] | undefined,
  attempt: number,
  now: number,
  random: () => number = Math.random,
): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined) {
    const text = value.trim();
    // The platform's limiter truncates the time left to whole seconds: 0 means under a second,
    // and a try at once would meet the same empty bucket.
    if (/^\d+$/.test(text)) return Math.max(1, Number(text)) * 1000;
    const date = Date.parse(text);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const base = 1000 * 2 ** (attempt - 1);
  return Math.round(base * (1 + (random() * 2 - 1) * 0.25));
}
