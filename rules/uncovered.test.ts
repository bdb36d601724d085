import { describe, expect, it } from 'vitest'
import { bundledYears, dayFromIso, parseInstant, WorkCalendar, Zone } from '../common/time/index.ts'
import { UncoveredNotice, uncoveredAlert } from './uncovered.ts'

describe('uncoveredAlert', () => {
  it('is a yellow platform card keyed by the year alone', () => {
    const at = parseInstant('2026-12-20T09:00:00+08:00')
    const zone = Zone.of('Asia/Shanghai')
    expect(uncoveredAlert(2027, at, (t) => zone.format(t), 'v3')).toEqual({
      key: 'calendar.uncovered:yellow:-:calendar-2027',
      rule: 'calendar.uncovered',
      level: 'yellow',
      kind: null,
      caseId: 'calendar-2027',
      dept: 'platform',
      at: '2026-12-20T09:00:00+08:00',
      causes: [],
      settingsVersion: 'v3',
    })
  })

  it('keeps its key when raised again later, so the alert store keeps one card', () => {
    const f = (t: number) => String(t)
    expect(uncoveredAlert(2027, 1, f, 'a').key).toBe(uncoveredAlert(2027, 2, f, 'b').key)
    expect(uncoveredAlert(2027, 1, f, 'a').key).not.toBe(uncoveredAlert(2028, 1, f, 'a').key)
  })
})

describe('UncoveredNotice', () => {
  it('hands out a year reported by a WorkCalendar once', () => {
    const notice = new UncoveredNotice()
    const cal = new WorkCalendar(bundledYears(), notice.note)
    expect(notice.drain()).toEqual([])
    cal.isWorkingDay(dayFromIso('2027-03-01'))
    cal.isWorkingDay(dayFromIso('2027-03-02'))
    expect(notice.drain()).toEqual([2027])
    expect(notice.drain()).toEqual([])
  })

  it('does not hand a year out again when a rebuilt calendar reports it anew', () => {
    const notice = new UncoveredNotice()
    new WorkCalendar(bundledYears(), notice.note).isWorkingDay(dayFromIso('2027-03-01'))
    expect(notice.drain()).toEqual([2027])
    const rebuilt = new WorkCalendar(bundledYears(), notice.note)
    rebuilt.isWorkingDay(dayFromIso('2027-03-01'))
    rebuilt.isWorkingDay(dayFromIso('2024-12-31'))
    rebuilt.isWorkingDay(dayFromIso('2028-01-03'))
    expect(notice.drain()).toEqual([2024, 2028])
    expect(notice.drain()).toEqual([])
  })
})
