import { describe, expect, it, vi } from 'vitest'
import { ConnectionGate } from './connectionGate.ts'

describe('ConnectionGate', () => {
  it('lets callers through at once while connected', async () => {
    const g = new ConnectionGate()
    expect(await g.whenConnected(10)).toBe(true)
  })

  it('holds callers while disconnected and lets them through on reconnect', async () => {
    const g = new ConnectionGate()
    g.observe({ type: 'disconnect' })
    expect(g.isConnected()).toBe(false)
    const waiting = g.whenConnected(10_000)
    g.observe({ type: 'ping' })
    g.observe({ type: 'reconnect' })
    expect(await waiting).toBe(true)
  })

  it('gives up after the timeout', async () => {
    vi.useFakeTimers()
    try {
      const g = new ConnectionGate()
      g.observe({ type: 'disconnect' })
      const waiting = g.whenConnected(500)
      await vi.advanceTimersByTimeAsync(500)
      expect(await waiting).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it('release wakes waiters without claiming a connection', async () => {
    const g = new ConnectionGate()
    g.observe({ type: 'disconnect' })
    const waiting = g.whenConnected(10_000)
    g.release()
    expect(await waiting).toBe(false)
  })
})
