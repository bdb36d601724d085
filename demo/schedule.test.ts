import { describe, expect, it } from 'vitest'
import { mulberry32 } from './prng.ts'
import { onDay, officeAfter, weekdayFrom } from './schedule.ts'
import { isOfficeHours, isWeekday, localDay } from './shanghai.ts'

const rng = () => mulberry32(9)
const monday = localDay(Date.parse('2026-10-05T12:00:00+08:00'))

describe('schedule', () => {
  it('picks office times on the day, after the previous step', () => {
    const r = rng()
    for (let i = 0; i < 200; i++) {
      const t = onDay(r, monday, 0)
      expect(localDay(t)).toBe(monday)
      expect(isOfficeHours(t)).toBe(true)
    }
    const late = Date.parse('2026-10-05T17:20:00+08:00')
    expect(onDay(r, monday, late)).toBeGreaterThan(late)
  })

  it('moves off-hours steps into the next opening, spread over the morning', () => {
    const r = rng()
    const fridayNight = Date.parse('2026-10-02T20:00:00+08:00')
    for (let i = 0; i < 100; i++) {
      const t = officeAfter(r, fridayNight)
      expect(localDay(t)).toBe(monday)
      expect(isOfficeHours(t)).toBe(true)
    }
    const noon = Date.parse('2026-10-05T12:00:00+08:00')
    expect(officeAfter(r, noon, 60_000)).toBe(noon + 60_000)
  })

  it('rolls weekends forward to Monday', () => {
    expect(weekdayFrom(monday - 2)).toBe(monday)
    expect(weekdayFrom(monday)).toBe(monday)
    expect(isWeekday(weekdayFrom(monday + 5))).toBe(true)
  })
})
