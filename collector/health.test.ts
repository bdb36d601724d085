import { describe, expect, it } from 'vitest'
import { collectorProbe } from './health.ts'

describe('collectorProbe', () => {
  it('reports the backlog it saw, its bound and the refusals, and back-pressure only past the bound', async () => {
    let backlog = 100
    const refused = { tooMany: 2, unavailable: 1 }
    const p = collectorProbe({ backlog: () => backlog, maxBacklog: 100, refused: () => refused })
    expect(p.component).toBe('collector')
    const d = await p.details()
    expect(d).toEqual({ backlog: 100, maxBacklog: 100, refused: { tooMany: 2, unavailable: 1 } })
    expect(p.problems(d, Date.now())).toEqual([])
    backlog = 101
    expect(p.problems(await p.details(), Date.now())).toEqual(['backpressure'])
  })

  it('never pushes back without a bound', async () => {
    const p = collectorProbe({ backlog: () => 1e9, maxBacklog: 0, refused: () => ({ tooMany: 0, unavailable: 0 }) })
    expect(p.problems(await p.details(), Date.now())).toEqual([])
  })
})
