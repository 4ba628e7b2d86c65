/**
 * Per-actor rate limiting: a token bucket per key (the token's subject, or
 * the client address when anonymous). Memory stays bounded: at most
 * `maxKeys` buckets are kept, the least recently used go first.
 */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until one request would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  take(key: string): RateDecision {
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    this.buckets.delete(key); // re-inserted below: Map order is recency order
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    let decision: RateDecision;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      decision = { allowed: true, retryAfterSeconds: 0 };
    } else {
      decision = { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000)) };
    }
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    return decision;
  }
}
