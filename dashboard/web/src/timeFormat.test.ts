import { describe, expect, it } from 'vitest'
import { formatShanghai, fromShanghaiInput, shanghaiTime, toShanghaiInput } from './timeFormat.ts'

describe('time format', () => {
  it('shows instants in Shanghai time, whatever offset they were written with', () => {
    expect(formatShanghai('2026-09-30T16:00:00Z')).toBe('2026-10-01 00:00')
    expect(formatShanghai('2026-10-01T09:15:42+08:00')).toBe('2026-10-01 09:15')
  })

  it('uses a 24-hour clock with seconds for the header', () => {
    expect(shanghaiTime('2026-02-17T15:05:09+08:00')).toEqual({ date: '2026-02-17', time: '15:05:09' })
    expect(shanghaiTime(Date.parse('2026-01-01T00:00:00+08:00'))).toEqual({ date: '2026-01-01', time: '00:00:00' })
  })

  it('returns bad input raw rather than "Invalid Date"', () => {
    expect(shanghaiTime('soon')).toBeNull()
    expect(formatShanghai('soon')).toBe('soon')
  })
})

describe('datetime-local in Shanghai time', () => {
  it('reads an entered time as Shanghai time', () => {
    expect(fromShanghaiInput('2026-11-25T18:30')).toBe('2026-11-25T18:30:00+08:00')
    expect(Date.parse(fromShanghaiInput('2026-11-25T18:30')!)).toBe(Date.parse('2026-11-25T10:30:00Z'))
    expect(fromShanghaiInput('2026-11-25T18:30:15')).toBe('2026-11-25T18:30:15+08:00')
    expect(fromShanghaiInput('')).toBeNull()
    expect(fromShanghaiInput('2026-13-45T99:99')).toBeNull()
  })

  it('writes an instant for the input, round trip', () => {
    const t = Date.parse('2026-11-25T10:30:00Z')
    expect(toShanghaiInput(t)).toBe('2026-11-25T18:30')
    expect(Date.parse(fromShanghaiInput(toShanghaiInput(t))!)).toBe(t)
  })
})
