import { describe, expect, it } from 'vitest'
import { zeroCounts, type Counts } from './countNames.ts'
import { parseScheme, defaultScheme } from './scheme.ts'
import { scoreOf } from './score.ts'

const scored = (counts: Partial<Counts>, scheme = defaultScheme()) => {
  const s = scoreOf({ ...zeroCounts(), ...counts }, scheme)
  const show = (m: Map<string, { toNumber(): number } | null>) => Object.fromEntries([...m].map(([k, v]) => [k, v && v.toNumber()]))
  return { indicators: show(s.indicators), categories: show(s.categories), score: s.score?.toNumber() ?? null, grade: s.grade }
}

describe('scoreOf', () => {
  it('gives the contract example\'s figures: health in 2026-02 (every-rule)', () => {
    const s = scored({ workload: 1, 'approval.accepted': 1, 'approval.completed': 1, 'approval.on_time': 1, 'approval.evaluated': 1, 'approval.poor': 1, 'cards.yellow': 2 })
    expect(s.categories).toEqual({ efficiency: 75, compliance: 0, completion: null, evaluation: 0, cooperation: null })
    // (30 × 75 + 25 × 0 + 15 × 0) / (30 + 25 + 15) = 2250 / 70
    expect(s.score).toBe(32.14)
    expect(s.grade).toBe('不合格')
  })

  it('weighs a category by all its indicators, and means over those with data', () => {
    // efficiency: only enforcement_on_time has data, so it is 100; it still weighs 30
    const s = scored({ workload: 1, 'enforcement.decided': 1, 'enforcement.on_time': 1, 'cards.red': 1 })
    expect(s.indicators.enforcement_on_time).toBe(100)
    expect(s.indicators.approval_on_time).toBeNull()
    expect(s.categories.efficiency).toBe(100)
    expect(s.score).toBe(54.55) // 3000 / 55 = 54.5454…
  })

  it('rounds the score half up at .xx5 exactly: 80.425 is 80.43', () => {
    // approval_on_time = 100 × 5129 / 6000; efficiency = 15/20 of it = 64.1125;
    // score = (30 × 64.1125 + 25 × 100) / 55 = 4423.375 / 55 = 80.425
    const s = scored({ workload: 6000, 'approval.completed': 6000, 'approval.on_time': 5129 })
    expect(s.categories.efficiency).toBe(64.1125)
    expect(s.score).toBe(80.43)
    expect(s.grade).toBe('良好')
    // 100 − 1 × 100 / 4000 = 99.975
    expect(scored({ workload: 4000, 'cards.yellow': 1 }).score).toBe(99.98)
    // just above the half goes up, just below it down: 100 − 100 / 4001 = 99.975006…, 100 − 100 / 3999 = 99.974993…
    expect(scored({ workload: 4001, 'cards.yellow': 1 }).score).toBe(99.98)
    expect(scored({ workload: 3999, 'cards.yellow': 1 }).score).toBe(99.97)
  })

  it('rounds a mean of two categories at .xx5 where doubles would not: (60.85 + 100) / 2', () => {
    const two = parseScheme(`
categories:
  a: { indicators: { x: { weight: 1, numerator: approval.on_time, denominator: approval.completed } } }
  b: { indicators: { y: { weight: 1, numerator: supervision.on_time, denominator: supervision.completed } } }
grades: [{ name: pass, min: 80.43 }, { name: fail, min: 0 }]
`)
    const s = scored({ workload: 1, 'approval.completed': 2000, 'approval.on_time': 1217, 'supervision.completed': 1, 'supervision.on_time': 1 }, two)
    expect(s.score).toBe(80.43)
    // the grade reads the rounded score
    expect(s.grade).toBe('pass')
  })

  it('gives no score and no grade without any category with data', () => {
    const s = scored({})
    expect(s.score).toBeNull()
    expect(s.grade).toBeNull()
    expect(Object.values(s.indicators).every((v) => v === null)).toBe(true)
  })

  it('grades by the cut-offs, a score at a cut-off earning it', () => {
    const grade = (yellow: number) => scored({ workload: 100, 'cards.yellow': yellow }).grade
    expect([grade(0), grade(10), grade(11), grade(20), grade(21), grade(40), grade(41)]).toEqual(['优秀', '优秀', '良好', '良好', '合格', '合格', '不合格'])
  })
})
