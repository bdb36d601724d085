import { describe, expect, it } from 'vitest'
import { dayFromIso } from '../../../common/time/index.ts'
import { parseReformPeriod } from './reformPeriod.ts'

const parse = (q: string) => parseReformPeriod(new URLSearchParams(q))

describe('parseReformPeriod', () => {
  it('reads two local dates, both included', () => {
    expect(parse('from=2026-11-01&until=2026-11-30')).toEqual({ from: '2026-11-01', until: '2026-11-30', fromDay: dayFromIso('2026-11-01'), untilDay: dayFromIso('2026-11-30') })
    expect(parse('from=2026-11-05&until=2026-11-05')).toMatchObject({ fromDay: dayFromIso('2026-11-05'), untilDay: dayFromIso('2026-11-05') })
  })

  it('takes 366 days, and refuses 367', () => {
    expect(parse('from=2024-01-01&until=2024-12-31')).toMatchObject({ from: '2024-01-01' })
    expect(parse('from=2024-01-01&until=2025-01-01')).toEqual({ error: 'the period from 2024-01-01 until 2025-01-01 holds 367 days; at most 366', field: 'until' })
  })

  it('names the parameter that is missing, repeated, malformed or not a date', () => {
    expect(parse('until=2026-11-30')).toEqual({ error: 'from is required, a date YYYY-MM-DD', field: 'from' })
    expect(parse('from=2026-11-01')).toEqual({ error: 'until is required, a date YYYY-MM-DD', field: 'until' })
    expect(parse('from=2026-11-01&from=2026-11-02&until=2026-11-30')).toEqual({ error: 'from given 2 times', field: 'from' })
    expect(parse('from=2026-11-1&until=2026-11-30')).toEqual({ error: 'from must be a date YYYY-MM-DD that exists, not "2026-11-1"', field: 'from' })
    expect(parse('from=2026-11-01&until=2026-02-30')).toMatchObject({ field: 'until', error: expect.stringContaining('"2026-02-30"') })
  })

  it('refuses a period that ends before it starts', () => {
    expect(parse('from=2026-11-30&until=2026-11-01')).toEqual({ error: 'until (2026-11-01) must not be before from (2026-11-30)', field: 'until' })
  })
})
