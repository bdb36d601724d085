import { describe, expect, it } from 'vitest'
import { freshness } from './freshness.ts'

describe('freshness', () => {
  const min = 60_000
  it('is lost while the connection is down, whatever the data', () => {
    expect(freshness('reconnecting', 1000, 1000, 10 * min)).toBe('lost')
  })
  it('is stale once nothing arrived for longer than the limit, and live up to it', () => {
    expect(freshness('connected', 0, 10 * min, 10 * min)).toBe('live')
    expect(freshness('connected', 0, 10 * min + 1, 10 * min)).toBe('stale')
  })
  it('says nothing before the first connect or the first snapshot', () => {
    expect(freshness('connecting', 0, 100 * min, min)).toBe('live')
    expect(freshness('connected', null, 100 * min, min)).toBe('live')
  })
})
