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

  it('finds local wall-clock times on the days clocks change', () => {
    const ny = Zone.of('America/New_York')
    const seven = 7 * 3_600_000
    // 8 March 2026 springs forward at 02:00, 1 November falls back: 07:00 is not midnight + 7 h.
    expect(ny.format(ny.instantAt(dayFromIso('2026-03-08'), seven))).toBe('2026-03-08T07:00:00-04:00')
    expect(ny.format(ny.instantAt(dayFromIso('2026-11-01'), seven))).toBe('2026-11-01T07:00:00-05:00')
    expect(ny.format(ny.instantAt(dayFromIso('2026-03-08'), 2.5 * 3_600_000))).toBe('2026-03-08T03:30:00-04:00') // skipped
    expect(ny.format(ny.instantAt(dayFromIso('2026-11-01'), 1.5 * 3_600_000))).toBe('2026-11-01T01:30:00-04:00') // repeated
    expect(ny.timeOfDay(Date.parse('2026-11-01T11:30:00Z'))).toBe(6.5 * 3_600_000) // 06:30 EST
    expect(ny.timeOfDay(Date.parse('2026-03-08T11:30:00Z'))).toBe(seven + 30 * 60_000) // 07:30 EDT
    expect(sh.timeOfDay(Date.parse('2026-09-30T16:00:00Z'))).toBe(0)
    expect(sh.instantAt(dayFromIso('2026-10-01'), seven)).toBe(Date.parse('2026-10-01T07:00:00+08:00'))
    // Santiago springs forward at midnight: its 6 September 2026 starts at 01:00, as PostgreSQL says too.
    const scl = Zone.of('America/Santiago')
    expect(scl.format(scl.startOf(dayFromIso('2026-09-06')))).toBe('2026-09-06T01:00:00-03:00')
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
