import { describe, expect, it } from 'vitest'
import type { CasePlan } from './caseBuilder.ts'
import { rngFor } from './prng.ts'
import { SUPERVISION_MIX, supervisionCase } from './supervision.ts'

const simStart = Date.parse('2026-03-02T00:00:00+08:00')
const plans: CasePlan[] = Array.from({ length: 6_000 }, (_, i) => supervisionCase(6, i, simStart + i * 600_000, rngFor(6, i)))
const dueAt = (p: CasePlan) => Date.parse(p.events[0]!.attrs!.dueAt as string)
const completedAt = (p: CasePlan) => p.times[p.events.findIndex((e) => e.type === 'completed')]

describe('supervisionCase', () => {
  it('completes clean tasks before their due time, with rising progress', () => {
    const bad = plans.filter((p) => p.violation === null && !(completedAt(p)! < dueAt(p)))
    expect(bad).toEqual([])
    for (const p of plans) {
      const pct = p.events.filter((e) => e.type === 'progress').map((e) => e.attrs!.percent as number)
      expect([...pct].sort((a, b) => a - b)).toEqual(pct)
      expect(new Set(pct).size).toBe(pct.length)
    }
  })

  it('plants tasks completed late or never', () => {
    const late = plans.filter((p) => p.violation === 'supervision.overdue')
    expect(late.length / plans.length).toBeCloseTo(SUPERVISION_MIX['supervision.overdue'], 1)
    for (const p of late) expect(completedAt(p) === undefined || completedAt(p)! > dueAt(p)).toBe(true)
    expect(late.some((p) => completedAt(p) === undefined)).toBe(true)
    expect(late.some((p) => completedAt(p) !== undefined)).toBe(true)
  })

  it('gives due times in +08:00 at close of business', () => {
    for (const p of plans.slice(0, 200)) expect(p.events[0]!.attrs!.dueAt).toMatch(/T17:30:00\+08:00$/)
  })
})
