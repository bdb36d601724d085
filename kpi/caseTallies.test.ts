import { describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import { defaultContext } from '../rules/index.ts'
import { caseTallies } from './caseTallies.ts'
import { accepted, caseEvent, timed } from './testing.ts'

const ctx = defaultContext()

/** tallies lists "count@instant" (and the department when not market) for one case's events. */
function tallies(...events: CaseEvent[]): string[] {
  return caseTallies(timed(events).sort((a, b) => a.t - b.t || a.seq - b.seq), ctx).map(
    (t) => `${t.count}@${ctx.zone.format(t.t)}${t.dept === 'market' ? '' : ` ${t.dept}`}`,
  )
}

const A = (type: string, at: string, attrs?: Record<string, unknown>) => caseEvent('approval', type, 'A-1', at, attrs)
// Monday 2 November 2026, 2 working days: counted 11-03 and 11-04, due 11-05 00:00, half-way 11-04 00:00.
const acc = accepted('A-1', '2026-11-02T10:00:00+08:00', 2)

describe('caseTallies of an approval', () => {
  it('counts the first acceptance, and a completion after it as on time and early by the promised clock', () => {
    expect(tallies(acc, A('completed', '2026-11-03T23:59:59+08:00'))).toEqual([
      'approval.accepted@2026-11-02T10:00:00+08:00',
      'approval.completed@2026-11-03T23:59:59+08:00',
      'approval.on_time@2026-11-03T23:59:59+08:00',
      'approval.early@2026-11-03T23:59:59+08:00',
    ])
  })

  it('is late at the due instant itself, on time a second before', () => {
    expect(tallies(acc, A('completed', '2026-11-05T00:00:00+08:00'))).toEqual([
      'approval.accepted@2026-11-02T10:00:00+08:00',
      'approval.completed@2026-11-05T00:00:00+08:00',
    ])
    expect(tallies(acc, A('completed', '2026-11-04T23:59:59+08:00'))).toContain('approval.on_time@2026-11-04T23:59:59+08:00')
    expect(tallies(acc, A('completed', '2026-11-04T23:59:59+08:00'))).not.toContain('approval.early@2026-11-04T23:59:59+08:00')
  })

  it('is not early at the half-way instant itself', () => {
    expect(tallies(acc, A('completed', '2026-11-04T00:00:00+08:00'))).toEqual([
      'approval.accepted@2026-11-02T10:00:00+08:00',
      'approval.completed@2026-11-04T00:00:00+08:00',
      'approval.on_time@2026-11-04T00:00:00+08:00',
    ])
  })

  it('stops the clock while suspended: a completion late without the suspension is on time with it', () => {
    const done = A('completed', '2026-11-06T10:00:00+08:00')
    expect(tallies(acc, done)).not.toContain('approval.on_time@2026-11-06T10:00:00+08:00')
    // suspended all of 11-03 and 11-04: counted 11-05 and 11-06, due 11-07 00:00
    const sus = A('suspended', '2026-11-03T00:00:00+08:00', { reason: 'correction' })
    const res = A('resumed', '2026-11-05T00:00:00+08:00')
    expect(tallies(acc, sus, res, done)).toContain('approval.on_time@2026-11-06T10:00:00+08:00')
    // still suspended when it completes: the completion ends the pause, on time
    expect(tallies(acc, sus, done)).toContain('approval.on_time@2026-11-06T10:00:00+08:00')
  })

  it('counts no completion without an earlier acceptance, and only the first completion', () => {
    expect(tallies(A('completed', '2026-11-02T09:00:00+08:00'), acc)).toEqual(['approval.accepted@2026-11-02T10:00:00+08:00'])
    const again = tallies(acc, A('completed', '2026-11-03T10:00:00+08:00'), A('completed', '2026-11-09T10:00:00+08:00'))
    expect(again.filter((t) => t.startsWith('approval.completed'))).toEqual(['approval.completed@2026-11-03T10:00:00+08:00'])
    expect(tallies(acc, accepted('A-1', '2026-11-03T10:00:00+08:00', 2)).filter((t) => t.startsWith('approval.accepted'))).toHaveLength(1)
  })

  it('counts every rating, and those of 2 or less as poor (差评)', () => {
    expect(tallies(A('evaluated', '2026-11-10T10:00:00+08:00', { score: 2 }), A('evaluated', '2026-11-11T10:00:00+08:00', { score: 3 }))).toEqual([
      'approval.evaluated@2026-11-10T10:00:00+08:00',
      'approval.poor@2026-11-10T10:00:00+08:00',
      'approval.evaluated@2026-11-11T10:00:00+08:00',
    ])
  })

  it('counts for the department of the event that counts', () => {
    const moved = caseEvent('approval', 'completed', 'A-1', '2026-11-03T10:00:00+08:00', undefined, { dept: 'tax' })
    expect(tallies(acc, moved)).toEqual([
      'approval.accepted@2026-11-02T10:00:00+08:00',
      'approval.completed@2026-11-03T10:00:00+08:00 tax',
      'approval.on_time@2026-11-03T10:00:00+08:00 tax',
      'approval.early@2026-11-03T10:00:00+08:00 tax',
    ])
  })
})

describe('caseTallies of an enforcement case', () => {
  const E = (type: string, at: string, attrs?: Record<string, unknown>) => caseEvent('enforcement', type, 'E-1', at, attrs)
  // 30 calendar days from 03-02: due 04-02 00:00
  const filed = E('filed', '2026-03-02T10:00:00+08:00', { limitDays: 30 })
  const penalty = (at: string) => E('penalty', at, { amount: 10, min: 0, max: 100 })

  it('counts the first penalty or conclusion after filing, on time strictly before limitDays', () => {
    expect(tallies(filed, penalty('2026-04-01T23:59:59+08:00'), E('concluded', '2026-04-10T10:00:00+08:00'))).toEqual([
      'enforcement.decided@2026-04-01T23:59:59+08:00',
      'enforcement.on_time@2026-04-01T23:59:59+08:00',
    ])
    expect(tallies(filed, E('concluded', '2026-04-02T00:00:00+08:00'))).toEqual(['enforcement.decided@2026-04-02T00:00:00+08:00'])
  })

  it('counts nothing without an earlier filing', () => {
    expect(tallies(penalty('2026-03-01T10:00:00+08:00'), filed)).toEqual([])
  })
})

describe('caseTallies of a petition', () => {
  const P = (type: string, at: string, attrs?: Record<string, unknown>) => caseEvent('petition', type, 'P-1', at, attrs)
  // 15 calendar days from 08-12: accept due 08-28 00:00; 60 days from accepted 08-13: reply due 10-13 00:00
  const reg = P('registered', '2026-08-12T09:00:00+08:00', { petitionerId: 'p-1', subject: '拖欠工资' })

  it('counts the first acceptance or reply after registration, on time before 15 days', () => {
    expect(tallies(reg, P('accepted', '2026-08-27T23:59:59+08:00'))).toEqual(['petition.accepted@2026-08-27T23:59:59+08:00', 'petition.accepted_on_time@2026-08-27T23:59:59+08:00'])
    expect(tallies(reg, P('accepted', '2026-08-28T00:00:00+08:00'))).toEqual(['petition.accepted@2026-08-28T00:00:00+08:00'])
    // a reply with no acceptance answers the registration, but is no reply to an acceptance
    expect(tallies(reg, P('replied', '2026-08-20T09:00:00+08:00'))).toEqual(['petition.accepted@2026-08-20T09:00:00+08:00', 'petition.accepted_on_time@2026-08-20T09:00:00+08:00'])
  })

  it('counts a reply after acceptance, on time before 60 days plus the extensions that came in time', () => {
    const acc = P('accepted', '2026-08-13T09:00:00+08:00')
    const replied = P('replied', '2026-10-20T09:00:00+08:00')
    expect(tallies(reg, acc, replied).slice(2)).toEqual(['petition.replied@2026-10-20T09:00:00+08:00'])
    expect(tallies(reg, acc, P('extended', '2026-10-12T09:00:00+08:00', { days: 10 }), replied).slice(2)).toEqual([
      'petition.replied@2026-10-20T09:00:00+08:00',
      'petition.replied_on_time@2026-10-20T09:00:00+08:00',
    ])
    // an extension at the due instant comes too late, as for petition.reply_overdue
    expect(tallies(reg, acc, P('extended', '2026-10-13T00:00:00+08:00', { days: 10 }), replied).slice(2)).toEqual(['petition.replied@2026-10-20T09:00:00+08:00'])
  })

  it('counts every evaluation, and the satisfied ones', () => {
    expect(tallies(P('evaluated', '2026-09-02T09:00:00+08:00', { satisfied: false }), P('evaluated', '2026-09-03T09:00:00+08:00', { satisfied: true }))).toEqual([
      'petition.evaluated@2026-09-02T09:00:00+08:00',
      'petition.evaluated@2026-09-03T09:00:00+08:00',
      'petition.satisfied@2026-09-03T09:00:00+08:00',
    ])
  })
})

describe('caseTallies of a supervised task', () => {
  const S = (type: string, at: string, attrs?: Record<string, unknown>) => caseEvent('supervision', type, 'S-1', at, attrs)
  const assigned = S('assigned', '2026-07-01T09:00:00+08:00', { title: '老旧小区改造', dueAt: '2026-07-15T18:00:00+08:00' })

  it('counts a completion after assignment, on time strictly before the dueAt in force', () => {
    expect(tallies(assigned, S('completed', '2026-07-15T17:59:59+08:00'))).toEqual(['supervision.completed@2026-07-15T17:59:59+08:00', 'supervision.on_time@2026-07-15T17:59:59+08:00'])
    expect(tallies(assigned, S('completed', '2026-07-15T18:00:00+08:00'))).toEqual(['supervision.completed@2026-07-15T18:00:00+08:00'])
    const again = S('assigned', '2026-07-14T09:00:00+08:00', { title: '老旧小区改造', dueAt: '2026-07-31T18:00:00+08:00' })
    expect(tallies(assigned, again, S('completed', '2026-07-20T09:00:00+08:00'))).toContain('supervision.on_time@2026-07-20T09:00:00+08:00')
  })

  it('counts nothing without an earlier assignment', () => {
    expect(tallies(S('completed', '2026-07-01T08:00:00+08:00'), assigned)).toEqual([])
    expect(caseTallies([], ctx)).toEqual([])
  })
})
