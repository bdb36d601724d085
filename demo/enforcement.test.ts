import { describe, expect, it } from 'vitest'
import type { CasePlan } from './caseBuilder.ts'
import { ENFORCEMENT_MIX, enforcementCase } from './enforcement.ts'
import { rngFor } from './prng.ts'
import { localDay } from './shanghai.ts'

const simStart = Date.parse('2026-03-02T00:00:00+08:00')
const plans: CasePlan[] = Array.from({ length: 8_000 }, (_, i) => enforcementCase(2, i, simStart + i * 600_000, rngFor(2, i)))
const of = (rule: string | null) => plans.filter((p) => p.violation === rule)

/** decidedIn is the calendar days from the filing date to the date of penalty or conclusion. */
function decidedIn(p: CasePlan): { days: number; limit: number } {
  const limit = p.events[0]!.attrs!.limitDays as number
  return { days: localDay(p.times[1]!) - localDay(p.times[0]!), limit }
}

describe('enforcementCase', () => {
  it('files, decides and concludes in order', () => {
    for (const p of plans) {
      expect(p.events[0]!.type).toBe('filed')
      expect(p.events.at(-1)!.type).toBe('concluded')
      expect(p.events.map((e) => e.type).join()).toMatch(/^filed,(penalty,)?concluded$/)
    }
    expect(plans.filter((p) => p.events.length === 2).length).toBeGreaterThan(0)
  })

  it('decides clean cases before due soon and in range', () => {
    const bad = of(null).filter((p) => {
      const { days, limit } = decidedIn(p)
      const pen = p.events.find((e) => e.type === 'penalty')?.attrs as { amount: number; min: number; max: number } | undefined
      return days >= limit - 10 || (pen && (pen.amount < pen.min || pen.amount > pen.max))
    })
    expect(bad).toEqual([])
  })

  it('plants late decisions and penalties outside the discretionary range', () => {
    for (const [rule, share] of Object.entries(ENFORCEMENT_MIX)) expect(of(rule).length / plans.length).toBeCloseTo(share, 1)
    for (const p of of('enforcement.overdue')) expect(decidedIn(p).days).toBeGreaterThan(decidedIn(p).limit)
    for (const p of of('enforcement.discretion')) {
      const a = p.events[1]!.attrs as { amount: number; min: number; max: number }
      expect(a.amount < a.min || a.amount > a.max).toBe(true)
      expect(a.amount).toBeGreaterThanOrEqual(0)
    }
  })
})
