import { describe, expect, it } from 'vitest'
import { hash32, hashString, mulberry32, rngFor } from './prng.ts'

describe('prng', () => {
  it('gives the same stream for the same seed', () => {
    const a = rngFor(7, 42)
    const b = rngFor(7, 42)
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next())
  })

  it('gives different streams for different seeds, indexes and streams', () => {
    const first = (r: ReturnType<typeof rngFor>) => [r.next(), r.next(), r.next()]
    expect(first(rngFor(7, 42))).not.toEqual(first(rngFor(8, 42)))
    expect(first(rngFor(7, 42))).not.toEqual(first(rngFor(7, 43)))
    expect(first(rngFor(7, 42, 0))).not.toEqual(first(rngFor(7, 42, 1)))
  })

  it('stays in range and is roughly uniform', () => {
    const r = mulberry32(123)
    const buckets = new Array(10).fill(0)
    let lo = 1
    let hi = 0
    for (let i = 0; i < 100_000; i++) {
      const x = r.next()
      lo = Math.min(lo, x)
      hi = Math.max(hi, x)
      buckets[Math.floor(x * 10)]++
    }
    expect(lo).toBeGreaterThanOrEqual(0)
    expect(hi).toBeLessThan(1)
    for (const b of buckets) expect(b).toBeGreaterThan(9_500)
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5)
      expect([3, 4, 5]).toContain(n)
    }
  })

  it('hashes large and negative numbers without collapsing them', () => {
    expect(hash32(1, 2 ** 40)).not.toBe(hash32(1, 0))
    expect(hash32(-1, 5)).not.toBe(hash32(1, 5))
    expect(hashString('p-1')).not.toBe(hashString('p-2'))
  })
})
