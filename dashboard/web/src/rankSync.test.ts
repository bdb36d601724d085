import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it } from 'vitest'
import type { KpiRanking } from '../../../common/contract/api.ts'
import { startRankSync, type RankSocket, type RankState } from './rankSync.ts'

/** FakeSocket stands in for socket.io-client: tests emit its events by hand. */
class FakeSocket extends EventEmitter implements RankSocket {}

function ranking(period: string, score: number): KpiRanking {
  return {
    period, unit: 'month', status: 'live', frozenAt: null, asOf: 0, kind: null, scheme: { version: 'sha256:x', categories: [], grades: [] }, scope: 'all', ranked: 1, revisions: [],
    rows: [{ dept: 'tax', name: { 'zh-CN': '税务局', en: 'Taxation' }, kind: null, counts: {}, indicators: {}, categories: {}, score, grade: null, rank: 1, previousRank: null, movement: 'new', places: null }],
  }
}

/** deferred lets a test decide when a read answers. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)))
  return { promise, resolve, reject }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('rank sync', () => {
  let socket: FakeSocket
  let reads: Array<{ period: string; answer: ReturnType<typeof deferred<KpiRanking>> }>
  let states: RankState[]
  let sync: ReturnType<typeof startRankSync>

  beforeEach(() => {
    socket = new FakeSocket()
    reads = []
    states = []
    sync = startRankSync({
      socket,
      load: (period) => {
        const answer = deferred<KpiRanking>()
        reads.push({ period, answer })
        return answer.promise
      },
      onChange: (s) => states.push(s),
    })
  })

  it('reads nothing before it has a period, then its period at once', async () => {
    socket.emit('connect')
    socket.emit('kpi', { periods: ['2026-12'], at: 1 })
    expect(reads).toEqual([])
    sync.setPeriod('2026-12')
    expect(sync.state().status).toBe('loading')
    expect(reads.map((r) => r.period)).toEqual(['2026-12'])
    reads[0]!.answer.resolve(ranking('2026-12', 80))
    await tick()
    expect(sync.state()).toMatchObject({ period: '2026-12', status: 'ready', ranking: { rows: [{ score: 80 }] } })
  })

  it('reads again on an announcement that names its period, and on a reconnect, not on others', async () => {
    sync.setPeriod('2026-12')
    reads[0]!.answer.resolve(ranking('2026-12', 80))
    await tick()
    socket.emit('kpi', { periods: ['2026-11', '2026-Q4'], at: 2 })
    expect(reads).toHaveLength(1)
    socket.emit('kpi', { periods: ['2026', '2026-12', '2026-Q4'], at: 3 })
    expect(reads).toHaveLength(2)
    reads[1]!.answer.resolve(ranking('2026-12', 81))
    await tick()
    expect(sync.state().ranking?.rows[0]?.score).toBe(81)
    socket.emit('connect')
    expect(reads).toHaveLength(3)
  })

  it('makes one more read, not a queue, for announcements during a read', async () => {
    sync.setPeriod('2026-12')
    for (let i = 0; i < 5; i++) socket.emit('kpi', { periods: ['2026-12'], at: i })
    expect(reads).toHaveLength(1)
    reads[0]!.answer.resolve(ranking('2026-12', 80))
    await tick()
    expect(reads).toHaveLength(2)
    reads[1]!.answer.resolve(ranking('2026-12', 90))
    await tick()
    expect(reads).toHaveLength(2)
    expect(sync.state().ranking?.rows[0]?.score).toBe(90)
  })

  it('keeps the figures on screen when a read fails, and says so only when it has none', async () => {
    sync.setPeriod('2026-12')
    reads[0]!.answer.reject(new Error('503'))
    await tick()
    expect(sync.state()).toMatchObject({ status: 'unavailable', ranking: null })
    socket.emit('connect')
    reads[1]!.answer.resolve(ranking('2026-12', 80))
    await tick()
    socket.emit('kpi', { periods: ['2026-12'], at: 5 })
    reads[2]!.answer.reject(new Error('503'))
    await tick()
    expect(sync.state()).toMatchObject({ status: 'ready', ranking: { rows: [{ score: 80 }] } })
  })

  it('says the kpi component does not run when the server answers 503, and reads again once it does', async () => {
    sync.setPeriod('2026-12')
    reads[0]!.answer.reject(Object.assign(new Error('kpi not running'), { status: 503 }))
    await tick()
    expect(sync.state()).toMatchObject({ status: 'not_running', ranking: null })
    socket.emit('kpi', { periods: ['2026-12'], at: 5 })
    reads[1]!.answer.resolve(ranking('2026-12', 75))
    await tick()
    expect(sync.state()).toMatchObject({ status: 'ready', ranking: { rows: [{ score: 75 }] } })
  })

  it('moves to a new month: drops the old figures and ignores an answer for the old one', async () => {
    sync.setPeriod('2026-11')
    sync.setPeriod('2026-12')
    expect(sync.state()).toMatchObject({ period: '2026-12', ranking: null, status: 'loading' })
    reads[0]!.answer.resolve(ranking('2026-11', 70))
    await tick()
    expect(sync.state().ranking).toBeNull()
    expect(reads.map((r) => r.period)).toEqual(['2026-11', '2026-12'])
    reads[1]!.answer.resolve(ranking('2026-12', 60))
    await tick()
    expect(sync.state()).toMatchObject({ period: '2026-12', status: 'ready', ranking: { period: '2026-12' } })
  })

  it('tells nothing once stopped', async () => {
    sync.setPeriod('2026-12')
    const before = states.length
    sync.stop()
    reads[0]!.answer.resolve(ranking('2026-12', 80))
    await tick()
    expect(states).toHaveLength(before)
  })
})
