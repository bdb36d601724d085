import { describe, expect, it } from 'vitest'
import { dayFromIso } from '../../../common/time/index.ts'
import { defaultContext } from '../../../rules/index.ts'
import { overdueWorkingDays } from './overdueDays.ts'

const { zone, calendar } = defaultContext()
const at = Date.parse
const year = { fromDay: dayFromIso('2026-01-01'), lastDay: dayFromIso('2026-12-31') }

describe('overdueWorkingDays', () => {
  it('counts the due date through the stop\'s date, both included', () => {
    // Due Tuesday 10 November at 00:00, completed Thursday 12th: the 10th, 11th and 12th.
    expect(overdueWorkingDays(at('2026-11-10T00:00:00+08:00'), at('2026-11-12T10:00:00+08:00'), year, zone, calendar)).toBe(3)
  })

  it('counts an act at the due instant itself as a day late (contract §2)', () => {
    expect(overdueWorkingDays(at('2026-11-10T00:00:00+08:00'), at('2026-11-10T00:00:00+08:00'), year, zone, calendar)).toBe(1)
  })

  it('skips weekends and holidays and counts the make-up working day', () => {
    // 30 Sep (Wed); 1–7 Oct 国庆节; 8, 9 Oct; Saturday 10 Oct is a make-up working day; 12 Oct (Mon).
    expect(overdueWorkingDays(at('2026-09-30T00:00:00+08:00'), at('2026-10-12T10:00:00+08:00'), year, zone, calendar)).toBe(5)
  })

  it('reads the local date of the due instant and of the stop, not the UTC one', () => {
    // 16:00Z on Monday 9 November is 00:00 on Tuesday the 10th in Shanghai; 17:00Z on the 11th is the 12th.
    expect(overdueWorkingDays(at('2026-11-09T16:00:00Z'), at('2026-11-11T17:00:00Z'), year, zone, calendar)).toBe(3)
  })

  it('runs through the last date read while the case is still late, and never past it', () => {
    const nov = { fromDay: dayFromIso('2026-11-01'), lastDay: dayFromIso('2026-11-30') }
    // 11 Nov (Wed) to 30 Nov (Mon): 3 + 5 + 5 + 1 working dates.
    expect(overdueWorkingDays(at('2026-11-11T00:00:00+08:00'), null, nov, zone, calendar)).toBe(14)
    expect(overdueWorkingDays(at('2026-11-11T00:00:00+08:00'), at('2026-12-20T00:00:00+08:00'), nov, zone, calendar)).toBe(14)
    expect(overdueWorkingDays(at('2026-11-11T00:00:00+08:00'), null, { ...nov, lastDay: dayFromIso('2026-11-10') }, zone, calendar)).toBe(0)
  })

  it('counts nothing before the window\'s first date', () => {
    expect(overdueWorkingDays(at('2026-10-28T00:00:00+08:00'), at('2026-11-03T12:00:00+08:00'), { fromDay: dayFromIso('2026-11-01'), lastDay: dayFromIso('2026-11-30') }, zone, calendar)).toBe(2)
  })
})
