import { describe, expect, it } from 'vitest'
import { FIRST_WAIT_MS, keysFor, MAX_WAIT_MS, waitOf } from './throttle.ts'

const T = Date.parse('2026-12-03T09:00:00Z')

describe('the sign-in throttle', () => {
  it('frees a pair for five failures, then doubles the wait after the newest up to the cap', () => {
    expect(waitOf('user+ip', { count: 4, newest: T }, T)).toBe(0)
    expect(waitOf('user+ip', { count: 5, newest: T }, T)).toBe(FIRST_WAIT_MS)
    expect(waitOf('user+ip', { count: 6, newest: T }, T)).toBe(2 * FIRST_WAIT_MS)
    expect(waitOf('user+ip', { count: 7, newest: T }, T + 10_000)).toBe(4 * FIRST_WAIT_MS - 10_000)
    expect(waitOf('user+ip', { count: 60, newest: T }, T)).toBe(MAX_WAIT_MS)
    expect(waitOf('user+ip', { count: 6, newest: T }, T + 2 * FIRST_WAIT_MS)).toBe(0)
  })

  it('lets a username and an address fail far more often than a pair', () => {
    expect(waitOf('user', { count: 19, newest: T }, T)).toBe(0)
    expect(waitOf('user', { count: 20, newest: T }, T)).toBe(FIRST_WAIT_MS)
    expect(waitOf('ip', { count: 49, newest: T }, T)).toBe(0)
  })

  it('counts only the device pair from a device the user signed in on before', () => {
    expect(keysFor(true)).toEqual(['user+device'])
    expect(keysFor(false)).toEqual(['user+ip', 'user', 'ip'])
  })
})
