/**
 * RateLimiter counts attempts per key in a fixed window and says when a key has had
 * its share. Pure (the caller gives the time) and bounded: past `maxKeys` it forgets
 * the keys whose window ended, then the oldest, so a flood of keys cannot grow it.
 */

/** RateLimit is one limiter's rule: at most `limit` attempts per key per `windowMs`. */
export interface RateLimit {
  limit: number
  windowMs: number
  /** keys remembered at most; 10 000 by default */
  maxKeys?: number
}

/** Verdict says whether an attempt may go ahead, and if not, how long to wait. */
export type Verdict = { ok: true } | { ok: false; retryAfterS: number }

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; n: number }>()
  constructor(private readonly rule: RateLimit) {}

  /** check tells whether `key` may try now, without counting the try. */
  check(key: string, now: number): Verdict {
    const w = this.windows.get(key)
    if (!w || now - w.start >= this.rule.windowMs || w.n < this.rule.limit) return { ok: true }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((w.start + this.rule.windowMs - now) / 1000)) }
  }

  /** count records one attempt of `key` (a wrong code, a complaint). */
  count(key: string, now: number): void {
    const w = this.windows.get(key)
    if (w && now - w.start < this.rule.windowMs) {
      w.n++
      return
    }
    this.windows.delete(key)
    this.windows.set(key, { start: now, n: 1 })
    this.prune(now)
  }

  /** size is how many keys it remembers. */
  size(): number {
    return this.windows.size
  }

  private prune(now: number): void {
    const max = this.rule.maxKeys ?? 10_000
    if (this.windows.size <= max) return
    for (const [k, w] of this.windows) if (now - w.start >= this.rule.windowMs) this.windows.delete(k)
    // Insertion order is age order: drop the oldest until within bounds.
    for (const k of this.windows.keys()) {
      if (this.windows.size <= max) break
      this.windows.delete(k)
    }
  }
}
