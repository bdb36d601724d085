import { describe, expect, it } from 'vitest'
import { Zone } from '../common/time/index.ts'
import { parsePeriod, periodEnd, periodLabel, periodOf, periodStart, periodsThrough, previousPeriod } from './period.ts'

const shanghai = Zone.of('Asia/Shanghai')
const at = (s: string) => Date.parse(s)
const label = (s: string, unit: 'month' | 'quarter' | 'year', zone = shanghai) => periodLabel(periodOf(at(s), unit, zone))

describe('periods', () => {
  it('names the month, quarter and year that hold an instant', () => {
    expect(label('2026-09-28T10:00:00+08:00', 'month')).toBe('2026-09')
    expect(label('2026-09-28T10:00:00+08:00', 'quarter')).toBe('2026-Q3')
    expect(label('2026-09-28T10:00:00+08:00', 'year')).toBe('2026')
    expect(label('2026-01-01T00:00:00+08:00', 'quarter')).toBe('2026-Q1')
    expect(label('2026-12-31T23:59:59+08:00', 'quarter')).toBe('2026-Q4')
  })

  it('runs from local 00:00 of its first day, included, to that of the next, excluded', () => {
    expect(label('2026-09-30T23:59:59+08:00', 'month')).toBe('2026-09')
    expect(label('2026-10-01T00:00:00+08:00', 'month')).toBe('2026-10')
    expect(label('2026-09-30T23:59:59.999+08:00', 'quarter')).toBe('2026-Q3')
    expect(label('2026-10-01T00:00:00+08:00', 'quarter')).toBe('2026-Q4')
  })

  it('reads an instant in the platform zone, not in UTC', () => {
    // 2026-09-30T17:00Z is 01:00 on 1 October in Shanghai: October, Q4
    expect(label('2026-09-30T17:00:00Z', 'month')).toBe('2026-10')
    expect(label('2026-09-30T17:00:00Z', 'quarter')).toBe('2026-Q4')
    expect(label('2026-09-30T17:00:00Z', 'month', Zone.of('UTC'))).toBe('2026-09')
    expect(label('2026-12-31T16:00:00Z', 'year')).toBe('2027')
  })

  it('starts and ends at local midnights, also in a zone with daylight saving time', () => {
    const p = parsePeriod('2026-10')
    expect(shanghai.format(periodStart(p, shanghai))).toBe('2026-10-01T00:00:00+08:00')
    expect(shanghai.format(periodEnd(p, shanghai))).toBe('2026-11-01T00:00:00+08:00')
    const ny = Zone.of('America/New_York')
    const q1 = parsePeriod('2026-Q1')
    expect(ny.format(periodStart(q1, ny))).toBe('2026-01-01T00:00:00-05:00')
    expect(ny.format(periodEnd(q1, ny))).toBe('2026-04-01T00:00:00-04:00')
    expect(periodLabel(periodOf(periodEnd(q1, ny) - 1, 'quarter', ny))).toBe('2026-Q1')
  })

  it('steps back to the previous period of the same length, across a year', () => {
    expect(periodLabel(previousPeriod(parsePeriod('2026-01')))).toBe('2025-12')
    expect(periodLabel(previousPeriod(parsePeriod('2026-Q1')))).toBe('2025-Q4')
    expect(periodLabel(previousPeriod(parsePeriod('2026')))).toBe('2025')
  })

  it('lists the periods from one to another, both included', () => {
    expect(periodsThrough(parsePeriod('2026-11'), parsePeriod('2027-02')).map(periodLabel)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02'])
    expect(periodsThrough(parsePeriod('2026-Q3'), parsePeriod('2026-Q3')).map(periodLabel)).toEqual(['2026-Q3'])
    expect(periodsThrough(parsePeriod('2026-Q3'), parsePeriod('2026-Q2'))).toEqual([])
    expect(() => periodsThrough(parsePeriod('2026'), parsePeriod('2026-Q2'))).toThrow('a year and a quarter')
  })

  it('parses the labels it writes and refuses others', () => {
    for (const l of ['2026-09', '2026-12', '2026-Q4', '2026', '2000-01']) expect(periodLabel(parsePeriod(l))).toBe(l)
    for (const bad of ['2026-13', '2026-00', '2026-Q5', '2026-9', '26', '2026-Q3 ']) expect(() => parsePeriod(bad)).toThrow(`bad period "${bad}"`)
  })
})
