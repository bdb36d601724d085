import { describe, expect, it } from 'vitest'
import { dayFromIso, isoFromDay, parseInstant, weekdayOf, Zone } from './zone.ts'

describe('Zone', () => {
  const sh = Zone.of('Asia/Shanghai')

  it('puts an instant given in UTC on its Shanghai date', () => {
    expect(isoFromDay(sh.dayOf(Date.parse('2026-09-30T17:00:00Z')))).toBe('2026-10-01')
    expect(isoFromDay(sh.dayOf(Date.parse('2026-09-30T15:59:59Z')))).toBe('2026-09-30')
  })

  it('finds local midnight and prints RFC 3339 with +08:00', () => {
    expect(sh.format(sh.startOf(dayFromIso('2026-10-11')))).toBe('2026-10-11T00:00:00+08:00')
  })

  it('handles a zone with daylight saving through Intl', () => {
    const ny = Zone.of('America/New_York')
    expect(ny.format(Date.parse('2026-07-01T12:00:00Z'))).toBe('2026-07-01T08:00:00-04:00')
    expect(ny.format(ny.startOf(dayFromIso('2026-01-15')))).toBe('2026-01-15T00:00:00-05:00')
  })

  it('names an unknown zone', () => expect(() => Zone.of('Mars/Base')).toThrow('unknown time zone "Mars/Base"'))

  it('knows weekdays and validates dates', () => {
    expect(weekdayOf(dayFromIso('2026-10-10'))).toBe(6)
    expect(() => dayFromIso('2026-02-30')).toThrow(/bad date/)
  })

  it('parses only timestamps that carry an offset', () => {
    expect(parseInstant('2026-09-28T09:15:00+08:00')).toBe(Date.parse('2026-09-28T01:15:00Z'))
    expect(parseInstant('2026-09-28T09:15:00')).toBeNaN()
  })
})
