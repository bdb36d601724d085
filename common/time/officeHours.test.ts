import { describe, expect, it } from 'vitest'
import { defaultContext } from '../../rules/index.ts'
import { WorkCalendar } from './calendar.ts'
import { afterWorkingHours } from './officeHours.ts'
import { Zone } from './zone.ts'

const ctx = defaultContext()
const f = (since: string, hours: number) => ctx.zone.format(afterWorkingHours(Date.parse(since), hours, ctx))

describe('afterWorkingHours', () => {
  it('counts within one working day', () => expect(f('2026-11-23T10:00:00+08:00', 4)).toBe('2026-11-23T14:00:00+08:00'))
  it('starts counting at 09:00 when the last event came at night', () => expect(f('2026-11-23T02:00:00+08:00', 4)).toBe('2026-11-23T13:00:00+08:00'))
  it('carries over the evening and the weekend', () => expect(f('2026-11-20T15:00:00+08:00', 4)).toBe('2026-11-23T11:00:00+08:00'))
  it('skips the National Day holiday', () => expect(f('2026-09-30T16:00:00+08:00', 4)).toBe('2026-10-08T12:00:00+08:00'))
  it('counts a make-up Sunday', () => expect(f('2026-09-19T10:00:00+08:00', 2)).toBe('2026-09-20T11:00:00+08:00'))
})

describe('afterWorkingHours in a zone with daylight saving', () => {
  // A calendar on which Sunday 8 March 2026, the day New York springs forward, is worked.
  const calendar = new WorkCalendar([{ year: 2026, holidays: [], workdays: ['2026-03-08'] }])
  const ny = { zone: Zone.of('America/New_York'), calendar }
  it('counts 09:00–17:00 of local clocks on the day they change', () => {
    expect(ny.zone.format(afterWorkingHours(Date.parse('2026-03-08T01:00:00-05:00'), 8, ny))).toBe('2026-03-08T17:00:00-04:00')
    expect(ny.zone.format(afterWorkingHours(Date.parse('2026-03-08T01:00:00-05:00'), 1, ny))).toBe('2026-03-08T10:00:00-04:00')
  })
})
