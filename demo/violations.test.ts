import { describe, expect, it } from 'vitest'
import { mulberry32 } from './prng.ts'
import { drawViolation, mixTotal } from './violations.ts'

describe('drawViolation', () => {
  it('draws rules at their shares and null for the rest', () => {
    const mix = { a: 0.1, b: 0.05 } as const
    const r = mulberry32(1)
    const n: Record<string, number> = { a: 0, b: 0, null: 0 }
    for (let i = 0; i < 20_000; i++) n[String(drawViolation(r, mix))]!++
    expect(n.a! / 20_000).toBeCloseTo(0.1, 1)
    expect(n.b! / 20_000).toBeCloseTo(0.05, 1)
    expect(mixTotal(mix)).toBeCloseTo(0.15)
  })

  it('consumes exactly one draw, so later draws do not depend on the outcome', () => {
    const r1 = mulberry32(5)
    const r2 = mulberry32(5)
    drawViolation(r1, { a: 0.5 })
    r2.next()
    expect(r1.next()).toBe(r2.next())
  })
})
