import { describe, expect, it } from 'vitest'
import { kpiProbe } from './health.ts'
import type { KpiStatus } from './worker.ts'

describe('kpiProbe', () => {
  it('reports the worker\'s figures, degraded for a failure within the last 30 s', async () => {
    const now = Date.parse('2026-12-01T00:00:00Z')
    const s: KpiStatus = { events: 3, cards: 1, facts: 9, rollups: 'timescale', refreshedAt: null, lastError: { at: new Date(now - 10_000).toISOString(), message: 'boom' } }
    const p = kpiProbe({ status: () => s })
    const d = await p.details()
    expect(d).toEqual(s)
    expect(p.problems(d, now)).toEqual(['recent_error'])
    expect(p.problems(d, now + 60_000)).toEqual([])
  })
})
