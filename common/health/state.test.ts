import { describe, expect, it } from 'vitest'
import { isRecent, judge, worstState } from './state.ts'

const up = { up: true } as const
const down = { up: false, downSince: '2026-11-24T02:00:00.000Z', error: 'gone' } as const

describe('judge', () => {
  it('is ok with its connections up and no problem of its own', () => {
    expect(judge(up, up, [])).toEqual({ state: 'ok', problems: [] })
  })
  it('is degraded with its connections up and a problem of its own', () => {
    expect(judge(up, up, ['backpressure'])).toEqual({ state: 'degraded', problems: ['backpressure'] })
  })
  it('is down while its database or bus is, naming the connections first', () => {
    expect(judge(down, up, ['recent_error'])).toEqual({ state: 'down', problems: ['db_down', 'recent_error'] })
    expect(judge(up, down, [])).toEqual({ state: 'down', problems: ['bus_down'] })
    expect(judge(down, down, [])).toEqual({ state: 'down', problems: ['db_down', 'bus_down'] })
  })
})

describe('worstState', () => {
  it('is the worst state, ok for none', () => {
    expect(worstState([])).toBe('ok')
    expect(worstState(['ok', 'ok'])).toBe('ok')
    expect(worstState(['ok', 'degraded'])).toBe('degraded')
    expect(worstState(['down', 'ok', 'degraded'])).toBe('down')
  })
})

describe('isRecent', () => {
  const now = Date.parse('2026-11-24T02:00:30.000Z')
  it('counts a failure within the last 30 s, not an older one or none', () => {
    expect(isRecent(null, now)).toBe(false)
    expect(isRecent({ at: '2026-11-24T02:00:01.000Z', message: 'x' }, now)).toBe(true)
    expect(isRecent({ at: '2026-11-24T02:00:00.000Z', message: 'x' }, now)).toBe(false)
    expect(isRecent({ at: 'yesterday', message: 'x' }, now)).toBe(true)
  })
})
