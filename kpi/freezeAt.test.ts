import { describe, expect, it } from 'vitest'
import { defaultContext } from '../rules/index.ts'
import { freezeAt } from './freezeAt.ts'
import { parsePeriod } from './period.ts'

const ctx = defaultContext()
const at = (label: string, days = 3) => ctx.zone.format(freezeAt(parsePeriod(label), days, ctx))

describe('freezeAt', () => {
  it('is the period end plus the grace in working days of the official calendar', () => {
    expect(at('2026-11')).toBe('2026-12-04T00:00:00+08:00') // 1, 2, 3 December
    expect(at('2026-11', 0)).toBe('2026-12-01T00:00:00+08:00')
    // September ends into the National Day holiday (1–8 October 2026): 9, 10 (a make-up Saturday), 12 October.
    expect(at('2026-09')).toBe(ctx.zone.format(ctx.zone.startOf(ctx.calendar.nthWorkingDay(ctx.zone.dayOf(Date.parse('2026-10-01T00:00:00+08:00')), 3) + 1)))
    expect(Date.parse(at('2026-09'))).toBeGreaterThan(Date.parse('2026-10-09T00:00:00+08:00'))
    expect(at('2026-Q4')).toBe(at('2026-12'))
    expect(at('2026')).toBe(at('2026-12'))
  })
})
