import { describe, expect, it } from 'vitest'
import { zeroCounts, type Counts } from './countNames.ts'
import { indicatorValue } from './indicator.ts'
import { defaultScheme, type Formula } from './scheme.ts'

const formula = (name: string): Formula => {
  for (const c of defaultScheme().categories) for (const i of c.indicators) if (i.name === name) return i.formula
  throw new Error(name)
}
const value = (name: string, counts: Partial<Counts>) => indicatorValue(formula(name), { ...zeroCounts(), ...counts })?.toDecimal() ?? null

describe('indicatorValue', () => {
  it('is 100 × numerator / denominator, exactly', () => {
    expect(value('approval_on_time', { 'approval.completed': 12, 'approval.on_time': 11 })).toBe('275/3')
    expect(value('approval_on_time', { 'approval.completed': 4, 'approval.on_time': 4 })).toBe('100')
    expect(value('approval_early', { 'approval.completed': 4 })).toBe('0')
  })

  it('subtracts counts in a numerator: good ratings are the ratings less the poor ones', () => {
    expect(value('approval_rating', { 'approval.evaluated': 8, 'approval.poor': 2 })).toBe('75')
  })

  it('has no data when the denominator is 0, never 0 or 100', () => {
    expect(value('approval_on_time', {})).toBeNull()
    expect(value('petition_satisfaction', { 'petition.satisfied': 0, 'petition.evaluated': 0 })).toBeNull()
    expect(value('ack_on_time', { workload: 10 })).toBeNull()
  })

  it('deducts points per 100 cases: 1 for each yellow card, 3 for each red, not below 0', () => {
    expect(value('cards', { workload: 40 })).toBe('100')
    expect(value('cards', { workload: 40, 'cards.yellow': 2, 'cards.red': 1 })).toBe('87.5')
    expect(value('cards', { workload: 2, 'cards.yellow': 1 })).toBe('50')
    expect(value('cards', { workload: 3, 'cards.yellow': 1, 'cards.red': 1 })).toBe('0')
    expect(value('cards', { 'cards.red': 1 })).toBeNull()
  })

  it('holds a scheme\'s odd formula within 0..100', () => {
    const odd: Formula = { type: 'ratio', numerator: [{ sign: 1, count: 'approval.completed' }], denominator: [{ sign: 1, count: 'approval.on_time' }] }
    expect(indicatorValue(odd, { ...zeroCounts(), 'approval.completed': 3, 'approval.on_time': 1 })?.toDecimal()).toBe('100')
  })
})
