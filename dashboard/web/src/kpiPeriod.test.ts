import { describe, expect, it } from 'vitest'
import { currentPeriod, periodInUnit, periodOptions, periodUnit, shiftPeriod, touchesPeriod } from './kpiPeriod.ts'

describe('kpiPeriod', () => {
  it('reads the unit of a period name, and nothing else', () => {
    expect(periodUnit('2026-11')).toBe('month')
    expect(periodUnit('2026-Q4')).toBe('quarter')
    expect(periodUnit('2026')).toBe('year')
    for (const bad of ['2026-13', '2026-00', '2026-Q5', '26', '2026-1', '', '2026-11-01']) expect(periodUnit(bad)).toBeNull()
  })

  it('places an instant in the platform zone, not UTC', () => {
    // 17:00 UTC on 31 December is 01:00 on 1 January in Shanghai.
    const at = '2026-12-31T17:00:00Z'
    expect(currentPeriod(at, 'month', 'Asia/Shanghai')).toBe('2027-01')
    expect(currentPeriod(at, 'quarter', 'Asia/Shanghai')).toBe('2027-Q1')
    expect(currentPeriod(at, 'year', 'Asia/Shanghai')).toBe('2027')
    expect(currentPeriod(at, 'month', 'UTC')).toBe('2026-12')
    expect(currentPeriod('not a time', 'month', 'UTC')).toBeNull()
  })

  it('steps across year ends in every unit', () => {
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12')
    expect(shiftPeriod('2026-12', 1)).toBe('2027-01')
    expect(shiftPeriod('2026-Q1', -1)).toBe('2025-Q4')
    expect(shiftPeriod('2026-Q4', 2)).toBe('2027-Q2')
    expect(shiftPeriod('2026', -3)).toBe('2023')
    expect(shiftPeriod('x', 1)).toBeNull()
  })

  it('offers the current period first and a bounded number before it', () => {
    expect(periodOptions('2026-02', 3)).toEqual(['2026-02', '2026-01', '2025-12'])
    expect(periodOptions('2026-11')).toHaveLength(24)
    expect(periodOptions('2026-Q4')).toHaveLength(12)
    expect(periodOptions('2026').slice(0, 2)).toEqual(['2026', '2025'])
    expect(periodOptions('nope')).toEqual([])
  })

  it('keeps the same time when the unit switches', () => {
    expect(periodInUnit('2026-11', 'quarter')).toBe('2026-Q4')
    expect(periodInUnit('2026-11', 'year')).toBe('2026')
    expect(periodInUnit('2026-Q3', 'month')).toBe('2026-07')
    expect(periodInUnit('2026', 'quarter')).toBe('2026-Q1')
    expect(periodInUnit('??', 'month')).toBeNull()
  })

  it("re-reads on a 'kpi' announcement only when it names the period shown", () => {
    expect(touchesPeriod({ periods: ['2026-11', '2026-Q4', '2026'], at: 1 }, '2026-Q4')).toBe(true)
    expect(touchesPeriod({ periods: ['2026-11'], at: 1 }, '2026-10')).toBe(false)
    expect(touchesPeriod({ periods: ['2026-11'] }, null)).toBe(false)
    for (const junk of [null, 'x', {}, { periods: '2026-11' }]) expect(touchesPeriod(junk, '2026-11')).toBe(false)
  })
})
