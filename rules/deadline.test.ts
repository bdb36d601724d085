import { describe, expect, it } from 'vitest'
import { bundledYears, WorkCalendar, Zone } from '../common/time/index.ts'
import { clockStart, MAX_DATES, dueSoonDays, instantAfter, type ClockSpec } from './deadline.ts'

const zone = Zone.of('Asia/Shanghai')
const calendar = new WorkCalendar(bundledYears())
const deps = { zone, calendar }
const at = (s: string) => Date.parse(s)
const fmt = (t: number | null) => (t === null ? null : zone.format(t))

describe('deadline clock', () => {
  it('does not count the start day and counts whole working days across the National Day holiday', () => {
    const spec: ClockSpec = { start: at('2026-09-28T10:00:00+08:00'), dayType: 'working' }
    expect(fmt(instantAfter(spec, 5, deps))).toBe('2026-10-11T00:00:00+08:00')
    expect(fmt(instantAfter(spec, 3, deps))).toBe('2026-10-09T00:00:00+08:00')
  })

  it('counts the make-up working day of Saturday 10 October 2026', () => {
    const spec: ClockSpec = { start: at('2026-09-30T17:30:00+08:00'), dayType: 'working' }
    // 10-08 Thu, 10-09 Fri, 10-10 Sat (调休上班)
    expect(fmt(instantAfter(spec, 3, deps))).toBe('2026-10-11T00:00:00+08:00')
  })

  it('counts the May Day make-up Saturday 9 May 2026', () => {
    const spec: ClockSpec = { start: at('2026-04-30T15:00:00+08:00'), dayType: 'working' }
    expect(fmt(instantAfter(spec, 5, deps))).toBe('2026-05-12T00:00:00+08:00')
  })

  it('counts every date for calendar days, holidays included', () => {
    const spec: ClockSpec = { start: at('2026-02-13T10:00:00+08:00'), dayType: 'calendar' }
    expect(fmt(instantAfter(spec, 3, deps))).toBe('2026-02-17T00:00:00+08:00')
  })

  it('pauses while suspended and resumes mid-day', () => {
    const spec: ClockSpec = {
      start: at('2026-09-28T11:00:00+08:00'),
      dayType: 'working',
      pauses: [{ from: at('2026-09-29T09:00:00+08:00'), to: at('2026-10-09T09:00:00+08:00') }],
    }
    // 9 h on 09-29, 15 h on 10-09, 24 h on 10-10, then 10-12 → 3 days at 10-13 00:00
    expect(fmt(instantAfter(spec, 3, deps))).toBe('2026-10-13T00:00:00+08:00')
    expect(fmt(instantAfter(spec, 1, deps))).toBe('2026-10-10T00:00:00+08:00')
  })

  it('never comes due while suspended without resumption', () => {
    const spec: ClockSpec = {
      start: at('2026-06-01T09:30:00+08:00'),
      dayType: 'working',
      pauses: [{ from: at('2026-06-02T14:00:00+08:00'), to: Infinity }],
    }
    expect(instantAfter(spec, 20, deps)).toBeNull()
    expect(fmt(instantAfter({ ...spec, pauses: [{ from: at('2026-06-03T00:00:00+08:00'), to: Infinity }] }, 1, deps))).toBe(
      '2026-06-03T00:00:00+08:00',
    )
  })

  it('ignores a pause that lies on non-counted dates', () => {
    const spec: ClockSpec = {
      start: at('2026-10-09T10:00:00+08:00'),
      dayType: 'working',
      pauses: [{ from: at('2026-10-11T08:00:00+08:00'), to: at('2026-10-11T20:00:00+08:00') }], // a Sunday
    }
    expect(fmt(instantAfter(spec, 2, deps))).toBe('2026-10-13T00:00:00+08:00')
  })

  it('starts the clock at 00:00 after the local date of an event given in UTC', () => {
    const spec: ClockSpec = { start: at('2026-09-30T17:00:00Z'), dayType: 'working' } // 10-01 01:00 local
    expect(fmt(clockStart(spec, deps))).toBe('2026-10-02T00:00:00+08:00')
    expect(fmt(instantAfter(spec, dueSoonDays(2, 2), deps))).toBe('2026-10-02T00:00:00+08:00')
    expect(fmt(instantAfter(spec, 2, deps))).toBe('2026-10-10T00:00:00+08:00')
  })

  it('is due soon at the clock start when N ≤ W', () => {
    expect(dueSoonDays(2, 2)).toBe(0)
    expect(dueSoonDays(1, 2)).toBe(0)
    expect(dueSoonDays(5, 2)).toBe(3)
  })

  it('spans the Spring Festival 2026 with its make-up Saturdays', () => {
    const spec: ClockSpec = { start: at('2026-02-12T16:00:00+08:00'), dayType: 'working' }
    // 02-13 Fri(1), 02-14 Sat make-up(2), holiday 15–23, 02-24(3)
    expect(fmt(instantAfter(spec, 3, deps))).toBe('2026-02-25T00:00:00+08:00')
  })

  it('gives up on a term longer than any clock counts, at once, whatever its size', () => {
    const spec: ClockSpec = { start: at('2026-02-12T16:00:00+08:00'), dayType: 'working' }
    const t0 = performance.now()
    for (const days of [MAX_DATES + 1, 1e9, 2 ** 53, Infinity, NaN]) expect(instantAfter(spec, days, deps)).toBeNull()
    expect(instantAfter({ ...spec, pauses: [{ from: at('2026-03-01T00:00:00+08:00'), to: at('2026-03-02T00:00:00+08:00') }] }, 1e9, deps)).toBeNull()
    expect(performance.now() - t0).toBeLessThan(500)
    expect(instantAfter(spec, 3650, deps)).not.toBeNull() // the contract's longest term still counts
  })
})
