import { describe, expect, it } from 'vitest'
import { RateLimiter } from './rateLimit.ts'

describe('RateLimiter', () => {
  it('lets a key try `limit` times per window, then says how long to wait', () => {
    const r = new RateLimiter({ limit: 2, windowMs: 60_000 })
    expect(r.check('a', 0)).toEqual({ ok: true })
    r.count('a', 0)
    r.count('a', 1000)
    expect(r.check('a', 1000)).toEqual({ ok: false, retryAfterS: 59 })
    expect(r.check('b', 1000)).toEqual({ ok: true })
    expect(r.check('a', 60_000)).toEqual({ ok: true })
  })

  it('stays bounded under a flood of keys', () => {
    const r = new RateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 100 })
    for (let i = 0; i < 1000; i++) r.count(`k${i}`, i)
    expect(r.size()).toBe(100)
    expect(r.check('k999', 1000)).toMatchObject({ ok: false })
  })
})
