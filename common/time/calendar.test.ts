import { describe, expect, it } from 'vitest'
import { WorkCalendar } from './calendar.ts'
import { bundledYears } from './calendars/bundled.ts'
import { dayFromIso } from './zone.ts'

const d = dayFromIso

describe('WorkCalendar with the official 2025 and 2026 schedules', () => {
  const cal = new WorkCalendar(bundledYears())

  it('ships 2025 and 2026', () => expect(cal.coveredYears()).toEqual([2025, 2026]))

  it.each([
    ['2026-10-01', false, 'National Day'],
    ['2026-10-07', false, 'National Day'],
    ['2026-10-08', true, 'ordinary Thursday'],
    ['2026-10-10', true, 'make-up Saturday'],
    ['2026-09-20', true, 'make-up Sunday'],
    ['2026-09-25', false, 'Mid-Autumn Friday'],
    ['2026-02-14', true, 'Spring Festival make-up Saturday'],
    ['2026-02-23', false, 'Spring Festival Monday'],
    ['2026-01-04', true, 'New Year make-up Sunday'],
    ['2026-05-09', true, 'May Day make-up Saturday'],
    ['2026-06-19', false, 'Dragon Boat Friday'],
    ['2025-01-26', true, '2025 Spring Festival make-up Sunday'],
    ['2025-10-08', false, '2025 National Day'],
    ['2025-10-11', true, '2025 make-up Saturday'],
    ['2026-11-21', false, 'ordinary Saturday'],
    ['2026-11-23', true, 'ordinary Monday'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(cal.isWorkingDay(d(date))).toBe(working)
  })

  it('says once per year when it falls back to Monday–Friday for a year it does not cover', () => {
    const seen: number[] = []
    const c = new WorkCalendar(bundledYears(), (y) => seen.push(y))
    expect(c.isWorkingDay(d('2027-01-04'))).toBe(true)
    expect(c.isWorkingDay(d('2027-01-09'))).toBe(false)
    expect(c.isWorkingDay(d('2027-02-01'))).toBe(true)
    expect(seen).toEqual([2027])
    expect(c.uncoveredYearsSeen()).toEqual([2027])
  })

  it('describes a date for explanations', () => {
    expect(cal.describe(d('2026-10-10'))).toBe('2026-10-10 调休上班')
    expect(cal.describe(d('2026-10-01'))).toBe('2026-10-01 法定节假日')
  })

  it('tells the kind of a date: working, make-up, holiday (a weekend inside one too), weekend', () => {
    expect(['2026-10-09', '2026-10-10', '2026-10-01', '2026-10-03', '2026-10-17'].map((x) => cal.kindOf(d(x)))).toEqual(['working', 'makeup', 'holiday', 'holiday', 'weekend'])
  })
})
