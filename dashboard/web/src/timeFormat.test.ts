import { describe, expect, it } from 'vitest'
import { formatInstant, fromLocalInput, localTime, toLocalInput } from './timeFormat.ts'

const SH = 'Asia/Shanghai'
const NY = 'America/New_York'

describe('time format', () => {
  it('shows instants in the zone it is given, whatever offset they were written with', () => {
    expect(formatInstant('2026-09-30T16:00:00Z', SH)).toBe('2026-10-01 00:00')
    expect(formatInstant('2026-10-01T09:15:42+08:00', SH)).toBe('2026-10-01 09:15')
    // The same instants where the platform runs on New York's or Tokyo's clocks.
    expect(formatInstant('2026-09-30T16:00:00Z', NY)).toBe('2026-09-30 12:00')
    expect(formatInstant('2026-10-01T09:15:42+08:00', 'Asia/Tokyo')).toBe('2026-10-01 10:15')
    expect(formatInstant('2026-01-15T05:00:00Z', NY)).toBe('2026-01-15 00:00') // EST in winter
  })

  it('uses a 24-hour clock with seconds for the header', () => {
    expect(localTime('2026-02-17T15:05:09+08:00', SH)).toEqual({ date: '2026-02-17', time: '15:05:09' })
    expect(localTime(Date.parse('2026-01-01T00:00:00+08:00'), SH)).toEqual({ date: '2026-01-01', time: '00:00:00' })
    expect(localTime(Date.parse('2026-01-01T00:00:00+08:00'), NY)).toEqual({ date: '2025-12-31', time: '11:00:00' })
  })

  it('returns bad input raw rather than "Invalid Date"', () => {
    expect(localTime('soon', SH)).toBeNull()
    expect(formatInstant('soon', NY)).toBe('soon')
  })
})

describe('datetime-local in the platform zone', () => {
  it('reads an entered time as wall time in the zone', () => {
    expect(fromLocalInput('2026-11-25T18:30', SH)).toBe('2026-11-25T18:30:00+08:00')
    expect(Date.parse(fromLocalInput('2026-11-25T18:30', SH)!)).toBe(Date.parse('2026-11-25T10:30:00Z'))
    expect(fromLocalInput('2026-11-25T18:30:15', SH)).toBe('2026-11-25T18:30:15+08:00')
    expect(fromLocalInput('2026-11-25 18:30', SH)).toBe('2026-11-25T18:30:00+08:00')
    expect(fromLocalInput(' 2026-11-25 8:30 ', SH)).toBe('2026-11-25T08:30:00+08:00')
    expect(fromLocalInput('2026-11-25T18:30', NY)).toBe('2026-11-25T18:30:00-05:00')
    expect(fromLocalInput('2026-07-01T18:30', NY)).toBe('2026-07-01T18:30:00-04:00')
    expect(fromLocalInput('2026-07-01T18:30', 'Asia/Kolkata')).toBe('2026-07-01T18:30:00+05:30')
    expect(fromLocalInput('2026-07-01T18:30', 'UTC')).toBe('2026-07-01T18:30:00+00:00')
  })

  it('reads a time clocks skip as the hour after, and a repeated one as its first', () => {
    expect(fromLocalInput('2026-03-08T02:30', NY)).toBe('2026-03-08T03:30:00-04:00')
    expect(fromLocalInput('2026-11-01T01:30', NY)).toBe('2026-11-01T01:30:00-04:00')
  })

  it('refuses what is not a date and time', () => {
    for (const v of ['', '2026-13-45T99:99', '2026-02-30T10:00', '2026-11-25T24:00', '2026-11-25T18:60', '2026-11-25 18:3', 'tomorrow']) {
      expect(fromLocalInput(v, SH)).toBeNull()
    }
  })

  it('writes an instant for the input, round trip', () => {
    const t = Date.parse('2026-11-25T10:30:00Z')
    expect(toLocalInput(t, SH)).toBe('2026-11-25 18:30')
    expect(Date.parse(fromLocalInput(toLocalInput(t, SH), SH)!)).toBe(t)
    expect(toLocalInput(t, NY)).toBe('2026-11-25 05:30')
    expect(Date.parse(fromLocalInput(toLocalInput(t, NY), NY)!)).toBe(t)
  })
})
