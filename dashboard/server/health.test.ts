import { describe, expect, it } from 'vitest'
import { dashboardProbe } from './health.ts'

describe('dashboardProbe', () => {
  it('reports the sockets connected now, and no problem of its own', async () => {
    let n = 2
    const p = dashboardProbe({ sockets: () => n })
    expect(await p.details()).toEqual({ sockets: 2 })
    n = 0
    const d = await p.details()
    expect(d).toEqual({ sockets: 0 })
    expect(p.problems(d, Date.now())).toEqual([])
  })
})
