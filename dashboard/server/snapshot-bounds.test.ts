import { describe, expect, it } from 'vitest'
import { boundSnapshot } from './snapshot-bounds.ts'
import type { AlertView } from './wall-contract.ts'

function card(n: number, at: string): AlertView {
  return {
    key: `k${n}`, rule: 'approval.overdue', level: 'red', kind: 'approval', caseId: `A-${n}`,
    dept: 'health', at, causes: [], settingsVersion: 'v1', raisedAt: at, status: 'open',
  }
}

describe('boundSnapshot', () => {
  it('sorts cards newest first by at, comparing instants not spellings', () => {
    const s = boundSnapshot({
      now: '2026-03-01T00:00:00+08:00',
      alerts: [card(1, '2026-02-01T08:00:00+08:00'), card(2, '2026-02-01T01:00:00Z'), card(3, '2026-01-01T00:00:00+08:00')],
      counts: { yellow: 0, red: 3 },
      byDept: [],
    })
    // 01:00Z is 09:00+08:00, so card 2 is the newest.
    expect(s.alerts.map((a) => a.key)).toEqual(['k2', 'k1', 'k3'])
  })

  it('caps the list so a page load stays small', () => {
    const alerts = Array.from({ length: 250 }, (_, i) => card(i, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()))
    const s = boundSnapshot({ now: '', alerts, counts: { yellow: 0, red: 250 }, byDept: [] })
    expect(s.alerts).toHaveLength(200)
    expect(s.alerts[0]!.key).toBe('k249')
    expect(s.counts.red).toBe(250)
  })
})
