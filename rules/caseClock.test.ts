import { describe, expect, it } from 'vitest'
import { promisedTerm } from './approval.ts'
import { caseClock } from './caseClock.ts'
import { defaultContext } from './context.ts'
import { enforcementDue } from './enforcement.ts'
import { petitionAcceptDue, petitionReplyDue } from './petition.ts'
import { supervisionDue } from './supervision.ts'
import { sorted, te } from './testEvents.ts'

const ctx = defaultContext()
const H = 3_600_000
const at = (s: string) => Date.parse(s)

describe('caseClock', () => {
  // Accepted on Monday 28 September 2026 with 5 working days; National Day (1–7 October) is
  // skipped, Saturday 10 October is a make-up working day, and Friday 9 October loses 6 h to a suspension.
  const approval = sorted([
    te('approval', 'accepted', 'A-1', '2026-09-28T10:00:00+08:00', { promisedDays: 5 }),
    te('approval', 'suspended', 'A-1', '2026-10-09T09:00:00+08:00'),
    te('approval', 'resumed', 'A-1', '2026-10-09T15:00:00+08:00'),
  ])

  it('reads an approval across National Day: counted, skipped, make-up dates, paused time, overdue', () => {
    const r = caseClock('approval', approval, ctx, at('2026-10-12T12:00:00+08:00'))!
    expect(r).toMatchObject({ term: 'approval.promised', dayType: 'working', days: 5, countFrom: at('2026-09-29T00:00:00+08:00'), paused: false, pausedMs: 6 * H })
    expect(r.due).toBe(promisedTerm(approval, ctx)!.due)
    expect(r.due).toBe(at('2026-10-12T06:00:00+08:00'))
    // 29, 30 Sep, 8 Oct, 9 Oct less 6 h, 10 Oct (make-up), half of 12 Oct
    expect(r.usedMs).toBe((4 * 24 + 18 + 12) * H)
    expect(r.remainingMs).toBe(-6 * H)
    expect(r.countedDates).toBe(6)
    expect(r.makeUpDates).toEqual(['2026-10-10'])
    expect(r.skipped.filter((s) => s.why === 'holiday').map((s) => s.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'])
    expect(r.skipped.filter((s) => s.why === 'weekend').map((s) => s.date)).toEqual(['2026-10-11'])
  })

  it('says paused while suspended, and stops at the completing event', () => {
    const during = caseClock('approval', approval, ctx, at('2026-10-09T12:00:00+08:00'))!
    expect(during).toMatchObject({ paused: true, pausedMs: 3 * H, usedMs: (3 * 24 + 9) * H })
    const done = sorted([...approval, te('approval', 'completed', 'A-1', '2026-10-10T08:00:00+08:00')])
    const r = caseClock('approval', done, ctx, at('2026-11-01T00:00:00+08:00'))!
    expect(r.stoppedBy?.type).toBe('completed')
    expect(r.readAt).toBe(at('2026-10-10T08:00:00+08:00'))
    expect(r.remainingMs).toBeGreaterThan(0)
  })

  it('waits for acceptance on the 5-working-day clock before the promised term exists', () => {
    const evs = sorted([te('approval', 'submitted', 'A-2', '2026-03-02T10:00:00+08:00')])
    expect(caseClock('approval', evs, ctx, at('2026-03-04T00:00:00+08:00'))).toMatchObject({ term: 'approval.accept', days: 5, usedMs: 24 * H })
  })

  it('reads the other kinds on the clocks their cards use', () => {
    const p = sorted([te('petition', 'registered', 'P-1', '2026-03-01T09:00:00+08:00')])
    expect(caseClock('petition', p, ctx, at('2026-03-05T00:00:00+08:00'))).toMatchObject({ term: 'petition.accept', dayType: 'calendar', due: petitionAcceptDue(p, ctx), skipped: [] })
    const p2 = sorted([...p, te('petition', 'accepted', 'P-1', '2026-03-03T09:00:00+08:00'), te('petition', 'extended', 'P-1', '2026-04-01T09:00:00+08:00', { days: 30 })])
    expect(caseClock('petition', p2, ctx, at('2026-04-02T00:00:00+08:00'))).toMatchObject({ term: 'petition.reply', days: 90, due: petitionReplyDue(p2, ctx) })
    const e = sorted([te('enforcement', 'filed', 'E-1', '2026-03-01T09:00:00+08:00', { limitDays: 30 })])
    expect(caseClock('enforcement', e, ctx, at('2026-03-05T00:00:00+08:00'))).toMatchObject({ term: 'enforcement.limit', days: 30, due: enforcementDue(e, ctx) })
    const s = sorted([te('supervision', 'assigned', 'S-1', '2026-03-01T09:00:00+08:00', { dueAt: '2026-03-10T18:00:00+08:00' })])
    expect(caseClock('supervision', s, ctx, at('2026-03-10T12:00:00+08:00'))).toMatchObject({ term: 'supervision.due', due: supervisionDue(s), remainingMs: 6 * H })
  })

  it('has no clock before the starting event', () => {
    expect(caseClock('enforcement', sorted([te('enforcement', 'penalty', 'E-2', '2026-03-01T09:00:00+08:00')]), ctx, at('2026-03-02T00:00:00+08:00'))).toBeNull()
  })
})
