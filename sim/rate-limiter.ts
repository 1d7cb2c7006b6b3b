import type { Reply } from "./http-io";

interface Bucket {
  tokens: number;
  lastReset: number;
}

export interface RateDecision {
  headers: Record<string, string>;
  /** Set when the bucket is empty: the 429. */
  answer?: Reply;
}

const MINUTE_MS = 60_000;

/**
 * middleware/ratelimit.go: a bucket of `rate` tokens per client IP, refilled whole once a
 * minute has passed since it was last filled. Every answer carries X-RateLimit-Limit,
 * -Remaining (what is left after this request) and -Reset (whole seconds until the refill); an
 * empty bucket answers 429 with Retry-After and {"error":"rate limit exceeded","retry_after":N}.
 * The platform's dev mode (no ADMIN_TOKEN) skips the bucket and says "unlimited".
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: number,
    private readonly now: () => number,
    private readonly devMode: boolean,
  ) {}

  check(ip: string): RateDecision {
    if (this.devMode) return { headers: { "x-ratelimit-limit": "unlimited" } };
    const now = this.now();
    let bucket = this.buckets.get(ip);
    if (!bucket) {
      bucket = { tokens: this.rate, lastReset: now };
      this.buckets.set(ip, bucket);
    }
    if (now - bucket.lastReset >= MINUTE_MS) {
      bucket.tokens = this.rate;
      bucket.lastReset = now;
    }
    const reset = Math.max(0, Math.trunc((bucket.lastReset + MINUTE_MS - now) / 1000));
    const headers: Record<string, string> = {
      "x-ratelimit-limit": String(this.rate),
      "x-ratelimit-remaining": String(Math.max(0, bucket.tokens - 1)),
      "x-ratelimit-reset": String(reset),
    };
    if (bucket.tokens <= 0) {
      return { headers, answer: rateLimitedReply(reset) };
    }
    bucket.tokens -= 1;
    return { headers };
  }
}

/** The limiter's 429 (also what a `429` fault answers): Retry-After and the JSON body. */
export function rateLimitedReply(retryAfterSeconds: number): Reply {
  return {
    status: 429,
    body: { error: "rate limit exceeded", retry_after: retryAfterSeconds },
    headers: { "retry-after": String(retryAfterSeconds) },
  };
}
