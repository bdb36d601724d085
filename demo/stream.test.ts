import { describe, expect, it } from 'vitest'
import { eventsBetween } from './scenario.ts'
import { EventStream } from './stream.ts'

const simStart = Date.parse('2026-03-02T00:00:00+08:00')
const DAY = 86_400_000

describe('EventStream', () => {
  it('yields exactly what eventsBetween gives, window by window', () => {
    const from = simStart + 40 * DAY
    const s = new EventStream(5, simStart, 60, from)
    let t = from
    const got: string[] = []
    // Uneven windows, from minutes to days.
    for (const step of [60_000, 3_600_000, 7 * 3_600_000, DAY, 3 * DAY, 17_000, 2 * DAY]) {
      got.push(...s.advance(t + step).map((e) => e.id))
      t += step
    }
    expect(s.position).toBe(t)
    expect(got).toEqual(eventsBetween(5, simStart, 60, from, t).map((e) => e.id))
    expect(got.length).toBeGreaterThan(100)
  })

  it('yields nothing for an empty or backward window', () => {
    const s = new EventStream(5, simStart, 60, simStart + DAY)
    expect(s.advance(simStart + DAY)).toEqual([])
    expect(s.advance(simStart)).toEqual([])
    expect(s.position).toBe(simStart + DAY)
  })

  it('holds only the events of cases in progress', () => {
    const s = new EventStream(5, simStart, 150, simStart)
    s.advance(simStart + 90 * DAY)
    // 13 500 cases generated; only those still running hold events (mostly enforcement and petitions).
    expect(s.held).toBeGreaterThan(0)
    expect(s.held).toBeLessThan(13_500)
  })
})
