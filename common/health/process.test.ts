import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { processView } from './process.ts'

describe('processView', () => {
  it('names this process: host, pid, and a start that does not move', async () => {
    const a = processView()
    expect(a).toEqual({ host: hostname(), pid: process.pid, started: expect.any(String) })
    expect(Date.parse(a.started)).toBeLessThanOrEqual(Date.now())
    expect(Date.parse(a.started)).toBeGreaterThan(Date.now() - process.uptime() * 1000 - 1000)
    await new Promise((r) => setTimeout(r, 5))
    expect(processView().started).toBe(a.started)
  })
})
