import { describe, expect, it } from 'vitest'
import { boundSnapshot } from './snapshotBounds.ts'
import type { AlertView, SmsView, WallSnapshot } from '../../common/contract/index.ts'

function card(n: number, at: string, dept = 'health'): AlertView {
  return {
    key: `k${n}`, rule: 'approval.overdue', level: 'red', kind: 'approval', caseId: `A-${n}`,
    dept, at, causes: [], settingsVersion: 'v1', raisedAt: at, status: 'open',
  }
}

function sms(id: number, dept: string | null): SmsView {
  return { id, dept, to: '138****8000', body: 'x', status: 'sent', error: null, at: '', updatedAt: '' }
}

const ALL = { all: true } as const
const snap = (s: Partial<WallSnapshot>): WallSnapshot => ({ now: '', alerts: [], counts: { yellow: 0, red: 0 }, byDept: [], sms: [], scope: ALL, ...s })

describe('boundSnapshot', () => {
  it('sorts cards by when they were raised: one raised now for an older event leads', () => {
    const late = { ...card(9, '2026-01-01T00:00:00+08:00'), raisedAt: '2026-02-02T00:00:00+08:00' }
    const s = boundSnapshot(snap({ alerts: [card(1, '2026-02-01T08:00:00+08:00'), late], counts: { yellow: 0, red: 2 } }), ALL)
    expect(s.alerts.map((a) => a.key)).toEqual(['k9', 'k1'])
  })

  it('sorts cards newest first, comparing instants not spellings', () => {
    const s = boundSnapshot(
      snap({ alerts: [card(1, '2026-02-01T08:00:00+08:00'), card(2, '2026-02-01T01:00:00Z'), card(3, '2026-01-01T00:00:00+08:00')], counts: { yellow: 0, red: 3 } }),
      ALL,
    )
    // 01:00Z is 09:00+08:00, so card 2 is the newest.
    expect(s.alerts.map((a) => a.key)).toEqual(['k2', 'k1', 'k3'])
  })

  it('caps the lists so a page load stays small', () => {
    const alerts = Array.from({ length: 250 }, (_, i) => card(i, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()))
    const s = boundSnapshot(snap({ alerts, counts: { yellow: 0, red: 250 }, sms: Array.from({ length: 80 }, (_, i) => sms(80 - i, 'health')) }), ALL)
    expect(s.alerts).toHaveLength(200)
    expect(s.alerts[0]!.key).toBe('k249')
    expect(s.counts.red).toBe(250)
    expect(s.sms).toHaveLength(50)
    expect(s.sms[0]!.id).toBe(80)
  })

  it('cuts a department reader down to its own cards, tallies and messages, even if the source forgot', () => {
    const s = boundSnapshot(
      snap({
        alerts: [card(1, '2026-02-01T08:00:00+08:00', 'health'), card(2, '2026-02-01T09:00:00+08:00', 'market')],
        byDept: [{ dept: 'health', yellow: 2, red: 1 }, { dept: 'market', yellow: 5, red: 4 }],
        counts: { yellow: 7, red: 5 },
        sms: [sms(3, 'market'), sms(2, null), sms(1, 'health')],
      }),
      { dept: 'health' },
    )
    expect(s.alerts.map((a) => a.dept)).toEqual(['health'])
    expect(s.byDept).toEqual([{ dept: 'health', yellow: 2, red: 1 }])
    expect(s.counts).toEqual({ yellow: 2, red: 1 })
    expect(s.sms.map((m) => m.id)).toEqual([1])
    expect(s.scope).toEqual({ dept: 'health' })
  })
})

describe('boundSnapshot, the trend figures', () => {
  it('cuts the daily rows to the reader department and bounds the daily rows and the rate', () => {
    const daily = [
      { day: '2026-03-01', dept: 'health', yellow: 1, red: 0 },
      { day: '2026-03-01', dept: 'env', yellow: 0, red: 2 },
    ]
    const rate = Array.from({ length: 200 }, (_, i) => ({ minute: new Date(i * 60_000).toISOString(), events: i }))
    const mine = boundSnapshot(snap({ daily, rate }), { dept: 'env' })
    expect(mine.daily).toEqual([daily[1]])
    expect(mine.rate).toHaveLength(60)
    expect(mine.rate?.at(-1)?.events).toBe(199)
    expect(boundSnapshot(snap({ daily }), ALL).daily).toEqual(daily)
    expect(boundSnapshot(snap({}), ALL)).not.toHaveProperty('daily')
  })
})
