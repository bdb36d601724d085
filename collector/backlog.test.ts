import { describe, expect, it } from 'vitest'
import { BacklogGauge } from './backlog.ts'

describe('BacklogGauge', () => {
  it('reads the first sample at start and follows later ones, keeping the last good one through a failure', async () => {
    const samples = [5, 7]
    const errors: string[] = []
    const g = await new BacklogGauge(async () => {
      const v = samples.shift()
      if (v === undefined) throw new Error('consumer info timed out')
      return v
    }, 10_000, (e) => errors.push(e.message)).start()
    try {
      expect(g.current).toBe(5)
      await g.refresh()
      expect(g.current).toBe(7)
      await g.refresh()
      expect(g.current).toBe(7)
      expect(errors).toEqual(['consumer info timed out'])
    } finally {
      g.stop()
    }
  })
})
