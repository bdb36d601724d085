import { describe, expect, it } from 'vitest'
import { rulesDetails, rulesProbe } from './health.ts'
import type { WorkerStatus } from './worker.ts'

const status: WorkerStatus = { connected: true, lastError: null, deadLetters: 2, backlog: 40, watermarkLagMs: 1234.6, applied: 900, cases: 300 }

describe('the rules status', () => {
  it('carries the worker\'s figures, the lag in whole ms', () => {
    expect(rulesDetails(status)).toEqual({ backlog: 40, watermarkLagMs: 1235, applied: 900, cases: 300, deadLetters: 2, lastError: null })
  })

  it('is degraded for 30 s after the worker failed, not for dead letters alone', async () => {
    let s = status
    const p = rulesProbe({ status: () => s })
    const now = Date.parse('2026-11-24T02:00:30.000Z')
    expect(p.problems(await p.details(), now)).toEqual([])
    s = { ...status, lastError: { at: '2026-11-24T02:00:10.000Z', message: 'connection terminated' } }
    const d = await p.details()
    expect(d.lastError).toEqual({ at: '2026-11-24T02:00:10.000Z', message: 'connection terminated' })
    expect(p.problems(d, now)).toEqual(['recent_error'])
    expect(p.problems(d, now + 30_000)).toEqual([])
  })
})
