import { describe, expect, it } from 'vitest'
import { defaultContext } from '../rules/index.ts'
import { threadFacts, type ThreadView } from './threadFacts.ts'

const ctx = defaultContext()
const T = (iso: string) => Date.parse(iso)
// Notified Monday 2 November 2026 at 10:00: 8 office hours later is Tuesday 10:00.
const base: ThreadView = { id: 1, dept: 'tax', state: 'notified', notifiedAt: T('2026-11-02T10:00:00+08:00'), ackAt: null, rectificationDueAt: null, approvedAt: null, updatedAt: 0 }
const ACK_DUE = T('2026-11-03T10:00:00+08:00')
const names = (t: ThreadView, now: string) => threadFacts(t, T(now), 8, ctx).map((f) => `${f.count}@${ctx.zone.format(f.t)}`)

describe('threadFacts', () => {
  it('counts the acknowledgement due 8 office hours after the notice, on time strictly before', () => {
    expect(names(base, '2026-11-03T09:59:59+08:00')).toEqual([])
    expect(names(base, '2026-11-03T10:00:00+08:00')).toEqual(['threads.ack_due@2026-11-03T10:00:00+08:00'])
    expect(names({ ...base, state: 'acknowledged', ackAt: ACK_DUE - 1000 }, '2026-11-02T12:00:00+08:00')).toEqual(['threads.ack_due@2026-11-03T10:00:00+08:00', 'threads.ack_on_time@2026-11-03T10:00:00+08:00'])
    expect(names({ ...base, state: 'acknowledged', ackAt: ACK_DUE }, '2026-11-04T00:00:00+08:00')).toEqual(['threads.ack_due@2026-11-03T10:00:00+08:00'])
  })

  it('counts the rectification at its deadline, on time when approved before it; a withdrawn thread not at all', () => {
    const acked: ThreadView = { ...base, state: 'approved', ackAt: ACK_DUE - 1000, rectificationDueAt: T('2026-11-10T10:00:00+08:00'), approvedAt: T('2026-11-09T15:00:00+08:00') }
    expect(names(acked, '2026-11-09T16:00:00+08:00')).toContain('threads.rect_on_time@2026-11-10T10:00:00+08:00')
    expect(names({ ...acked, state: 'returned', approvedAt: null }, '2026-11-10T10:00:00+08:00')).toEqual(['threads.ack_due@2026-11-03T10:00:00+08:00', 'threads.ack_on_time@2026-11-03T10:00:00+08:00', 'threads.rect_due@2026-11-10T10:00:00+08:00'])
    expect(names({ ...acked, state: 'withdrawn' }, '2026-12-01T00:00:00+08:00')).toEqual([])
  })
})
