import { describe, expect, it } from 'vitest'
import { isTimeLapse, LAPSE_MS } from './timeLapse.ts'

describe('time-lapse', () => {
  const real = Date.parse('2026-12-04T02:00:00Z')
  it('tells a platform clock days behind (or ahead of) the real one', () => {
    expect(isTimeLapse('2026-10-16T08:00:00+08:00', real)).toBe(true)
    expect(isTimeLapse(new Date(real + LAPSE_MS + 1).toISOString(), real)).toBe(true)
  })

  it('takes a clock within minutes of the real one, an unknown or a broken one, as real', () => {
    expect(isTimeLapse(new Date(real - 60_000).toISOString(), real)).toBe(false)
    expect(isTimeLapse(null, real)).toBe(false)
    expect(isTimeLapse('soon', real)).toBe(false)
  })
})
