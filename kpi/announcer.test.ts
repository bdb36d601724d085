import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startAnnouncer } from './announcer.ts'

describe('announcer', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  const recording = (fail = () => false) => {
    const flushed: Array<{ at: number; periods: string[] }> = []
    const a = startAnnouncer({
      intervalMs: 1000,
      flush: async (periods) => {
        if (fail()) throw new Error('database away')
        flushed.push({ at: Date.now(), periods })
      },
    })
    return { a, flushed }
  }

  it('announces the first change at once and a burst after it once, a second later, with every period', async () => {
    const { a, flushed } = recording()
    const t0 = Date.now()
    a.note(['2026-11'])
    await vi.advanceTimersByTimeAsync(0)
    expect(flushed).toEqual([{ at: t0, periods: ['2026-11'] }])
    for (let i = 0; i < 20; i++) {
      a.note(i % 2 ? ['2026-11', '2026-Q4'] : ['2026-10'])
      await vi.advanceTimersByTimeAsync(40)
    }
    expect(flushed).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(200)
    expect(flushed).toHaveLength(2)
    expect(flushed[1]).toEqual({ at: t0 + 1000, periods: ['2026-10', '2026-11', '2026-Q4'] })
    // Quiet since: nothing more.
    await vi.advanceTimersByTimeAsync(5000)
    expect(flushed).toHaveLength(2)
    await a.stop()
  })

  it('keeps the periods of a failed flush for the next one', async () => {
    let failing = true
    const { a, flushed } = recording(() => failing)
    a.note(['2026-11'])
    await vi.advanceTimersByTimeAsync(0)
    expect(flushed).toEqual([])
    failing = false
    a.note(['2026-12'])
    await vi.advanceTimersByTimeAsync(1000)
    expect(flushed.map((f) => f.periods)).toEqual([['2026-11', '2026-12']])
    await a.stop()
  })

  it('announces nothing after stop', async () => {
    const { a, flushed } = recording()
    a.note(['2026-11'])
    await vi.advanceTimersByTimeAsync(0)
    a.note(['2026-12'])
    await a.stop()
    a.note(['2027-01'])
    await vi.advanceTimersByTimeAsync(3000)
    expect(flushed.map((f) => f.periods)).toEqual([['2026-11']])
  })
})
