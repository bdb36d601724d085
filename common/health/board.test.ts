/**
 * The health board on real services: a private nats-server it sees stop and start
 * again, an embedded database behind a wrapper that fails or hangs on demand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Bus } from '../bus/index.ts'
import { startTestServer, type TestServer, waitFor } from '../bus/testdata/harness.ts'
import type { ComponentStatus, DashboardDetails } from '../contract/index.ts'
import type { Db, Queryable } from '../db/index.ts'
import { openTestDbs } from '../db/testing.ts'
import { memoryLog } from '../log/testing.ts'
import { type ComponentProbe, HealthBoard, LIVE_STATUS } from './board.ts'

const dashboard = (sockets: () => number): ComponentProbe<'dashboard'> => ({ component: 'dashboard', details: () => ({ sockets: sockets() }), problems: () => [] })
const collector = (backlog: () => number): ComponentProbe<'collector'> => ({
  component: 'collector',
  details: async () => ({ backlog: backlog(), maxBacklog: 100, refused: { tooMany: 0, unavailable: 0 } }),
  problems: (d) => (d.backlog > d.maxBacklog ? ['backpressure'] : []),
})

describe('HealthBoard', () => {
  let nats: TestServer
  let bus: Bus
  let listener: Bus
  let db: Db
  let mode: 'up' | 'failing' | 'stuck' = 'up'
  let queries = 0
  // The database as the board reaches it: failing or hanging on demand.
  const flaky: Queryable = {
    query: (sql, params) => {
      queries++
      if (mode === 'failing') return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))
      if (mode === 'stuck') return new Promise(() => {})
      return db.query(sql, params)
    },
  }

  beforeAll(async () => {
    db = await openTestDbs()[0]!.open()
    nats = await startTestServer('health-board')
    bus = await Bus.connect({ url: nats.url, name: 'board-test', log: () => {} })
    listener = await Bus.connect({ url: nats.url, name: 'board-listener', log: () => {} })
  })
  afterAll(async () => {
    await listener?.close()
    await bus?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('reports each component, in the order the data flows, with the process, its details and its problems; the worst state is the report\'s', async () => {
    let backlog = 5
    const board = new HealthBoard({ db: flaky, bus, log: memoryLog() })
    const remove = board.add(dashboard(() => 3))
    board.add(collector(() => backlog))
    const r = await board.report()
    expect(r.state).toBe('ok')
    expect(r.components).toEqual([
      {
        component: 'collector', process: { host: expect.any(String), pid: process.pid, started: expect.any(String) }, state: 'ok', problems: [],
        at: expect.any(String), db: { up: true }, bus: { up: true }, details: { backlog: 5, maxBacklog: 100, refused: { tooMany: 0, unavailable: 0 } },
      },
      expect.objectContaining({ component: 'dashboard', state: 'ok', details: { sockets: 3 } }),
    ])
    backlog = 500
    expect(await board.report()).toMatchObject({ state: 'degraded', components: [{ state: 'degraded', problems: ['backpressure'] }, { state: 'ok' }] })
    remove()
    expect((await board.report()).components.map((c) => c.component)).toEqual(['collector'])
  })

  it('shares one look at the database among the reports asked for meanwhile', async () => {
    const board = new HealthBoard({ db: flaky, bus, log: memoryLog() })
    board.add(dashboard(() => 0))
    const before = queries
    const [a, b, c] = await Promise.all([board.report(), board.report(), board.report()])
    expect(queries - before).toBe(1)
    expect(b).toBe(a)
    expect(c).toBe(a)
  })

  it('says the components are down while the database fails or hangs, once in the log, and ok again once it answers', async () => {
    const log = memoryLog()
    const board = new HealthBoard({ db: flaky, bus, log, probeTimeoutMs: 50 })
    board.add(dashboard(() => 0))
    try {
      mode = 'failing'
      const failing = await board.report()
      expect(failing.state).toBe('down')
      const s = failing.components[0]!
      expect([s.state, s.problems, s.db]).toEqual(['down', ['db_down'], { up: false, downSince: expect.any(String), error: 'connect ECONNREFUSED 127.0.0.1:5432' }])
      mode = 'stuck'
      const stuck = (await board.report()).components[0]!
      // Still the same outage: down since its start, with the newest reason.
      expect(stuck.db).toEqual({ up: false, downSince: (s.db as { downSince: string }).downSince, error: 'no answer within 50 ms' })
      for (let i = 0; i < 5; i++) await board.report()
    } finally {
      mode = 'up'
    }
    expect(await board.report()).toMatchObject({ state: 'ok', components: [{ db: { up: true }, problems: [] }] })
    expect(log.lines.map((l) => l.level + ' ' + l.msg)).toEqual([
      'error the database cannot be reached: connect ECONNREFUSED 127.0.0.1:5432; dashboard down until it answers; trying again in the background',
      expect.stringMatching(/^info the database is back after \d+ s$/),
    ])
  })

  it('sends the statuses as heartbeats on the bus, says the bus is down while the nats-server is stopped, and ok again after', async () => {
    const heard: ComponentStatus[] = []
    const sub = listener.subscribeLive<ComponentStatus>(LIVE_STATUS, (s) => heard.push(s))
    await listener.flush()
    const log = memoryLog()
    const board = new HealthBoard({ db: flaky, bus, log })
    board.add(dashboard(() => 1))
    board.start(100)
    try {
      await waitFor(() => heard.length >= 2, 5000, 'two heartbeats')
      expect(heard[0]).toMatchObject({ component: 'dashboard', state: 'ok', process: { pid: process.pid }, details: { sockets: 1 } satisfies DashboardDetails })
      sub.unsubscribe()
      await nats.stop()
      try {
        await waitFor(() => !bus.connected, 10_000, 'the disconnect')
        const r = await board.report()
        expect(r.components[0]).toMatchObject({ state: 'down', problems: ['bus_down'], db: { up: true }, bus: { up: false, downSince: expect.any(String), error: expect.stringMatching(/^disconnected from /) } })
        await new Promise((res) => setTimeout(res, 300)) // beats meanwhile: not logged again
      } finally {
        await nats.start()
      }
      await waitFor(() => bus.connected, 15_000, 'the reconnect')
      expect(await board.report()).toMatchObject({ state: 'ok', components: [{ bus: { up: true } }] })
      expect(log.lines.filter((l) => l.msg.startsWith('the bus (NATS) cannot be reached'))).toHaveLength(1)
      expect(log.lines.filter((l) => l.msg.startsWith('the bus (NATS) is back'))).toHaveLength(1)
      // And the heartbeats carry on.
      const again: ComponentStatus[] = []
      const sub2 = listener.subscribeLive<ComponentStatus>(LIVE_STATUS, (s) => again.push(s))
      await waitFor(() => listener.connected, 15_000, 'the listener back')
      await listener.flush()
      await waitFor(() => again.length >= 1, 5000, 'a heartbeat after the outage')
      sub2.unsubscribe()
    } finally {
      board.stop()
    }
  })
})
