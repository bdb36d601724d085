import { describe, expect, it } from 'vitest'
import { countedDay, dayStart, formatLocal, isOfficeHours, isWeekday, localDay, nextOfficeOpen, officeTime } from './shanghai.ts'

const at = (s: string) => Date.parse(s)

describe('shanghai time', () => {
  it('formats instants in +08:00, whatever the input offset', () => {
    expect(formatLocal(at('2026-09-28T01:15:00Z'))).toBe('2026-09-28T09:15:00+08:00')
    expect(formatLocal(at('2026-09-28T20:00:00Z'))).toBe('2026-09-29T04:00:00+08:00')
  })

  it('puts 23:30 UTC on the next local date', () => {
    const t = at('2026-09-27T23:30:00Z')
    expect(formatLocal(dayStart(localDay(t)))).toBe('2026-09-28T00:00:00+08:00')
  })

  it('knows weekdays and office hours', () => {
    expect(isWeekday(localDay(at('2026-10-03T10:00:00+08:00')))).toBe(false) // Saturday
    expect(isWeekday(localDay(at('2026-10-05T10:00:00+08:00')))).toBe(true) // Monday
    expect(isOfficeHours(at('2026-10-05T08:59:00+08:00'))).toBe(false)
    expect(isOfficeHours(at('2026-10-05T09:00:00+08:00'))).toBe(true)
    expect(isOfficeHours(at('2026-10-05T17:30:00+08:00'))).toBe(false)
  })

  it('moves off-hours instants to the next opening', () => {
    expect(formatLocal(nextOfficeOpen(at('2026-10-02T18:00:00+08:00')))).toBe('2026-10-05T09:00:00+08:00') // Fri evening
    expect(formatLocal(nextOfficeOpen(at('2026-10-05T07:00:00+08:00')))).toBe('2026-10-05T09:00:00+08:00')
    const inside = at('2026-10-05T11:00:00+08:00')
    expect(nextOfficeOpen(inside)).toBe(inside)
  })

  it('counts weekdays or calendar dates after a date', () => {
    const fri = at('2026-10-02T15:00:00+08:00')
    expect(formatLocal(dayStart(countedDay(fri, 0, 'working')))).toBe('2026-10-02T00:00:00+08:00')
    expect(formatLocal(dayStart(countedDay(fri, 1, 'working')))).toBe('2026-10-05T00:00:00+08:00')
    expect(formatLocal(dayStart(countedDay(fri, 6, 'working')))).toBe('2026-10-12T00:00:00+08:00')
    expect(formatLocal(dayStart(countedDay(fri, 1, 'calendar')))).toBe('2026-10-03T00:00:00+08:00')
  })

  it('spreads office times over 09:00..17:30', () => {
    const day = localDay(at('2026-10-05T12:00:00+08:00'))
    expect(formatLocal(officeTime(day, 0))).toBe('2026-10-05T09:00:00+08:00')
    expect(formatLocal(officeTime(day, 1))).toBe('2026-10-05T17:30:00+08:00')
  })
})
