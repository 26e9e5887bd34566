/**
 * Per-key token bucket: `capacity` requests at once, refilled evenly over a
 * minute. Keeps at most `maxKeys` buckets so a flood of addresses cannot grow
 * memory without bound (the oldest bucket is forgotten first).
 */
export interface RateLimitOptions {
  perMinute: number
  now: () => number
  maxKeys?: number
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number }

interface Bucket {
  tokens: number
  updatedAt: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly refillPerMs: number
  private readonly maxKeys: number

  constructor(private readonly opts: RateLimitOptions) {
    this.refillPerMs = opts.perMinute / 60_000
    this.maxKeys = opts.maxKeys ?? 10_000
  }

  take(key: string): TakeResult {
    const now = this.opts.now()
    const capacity = this.opts.perMinute
    const existing = this.buckets.get(key)
    const bucket = existing ?? { tokens: capacity, updatedAt: now }
    bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.updatedAt) * this.refillPerMs)
    bucket.updatedAt = now
    // Re-insert so Map order is least-recently-used first.
    this.buckets.delete(key)
    this.buckets.set(key, bucket)
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value
      if (oldest !== undefined) this.buckets.delete(oldest)
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { ok: true }
    }
    const waitMs = (1 - bucket.tokens) / this.refillPerMs
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
  }
}
