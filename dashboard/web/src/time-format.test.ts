import { describe, expect, it } from 'vitest'
import { formatShanghai, shanghaiTime } from './time-format.ts'

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
