/**
 * wallFeed on a real database and a real bus: the snapshot is cut to the reader's
 * department, and an outbox change announced on the bus reaches the live stream as
 * a masked view read from the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enqueue, LIVE_SMS } from '../../alerts/index.ts'
import { Bus } from '../../common/bus/index.ts'
import { startTestServer, type TestServer } from '../../common/bus/testdata/harness.ts'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { insertAlert } from '../../alerts/testing.ts'
import type { KpiChanged, SmsView } from '../../common/contract/index.ts'
import { LIVE_KPI } from '../../kpi/index.ts'
import { wallFeed } from './wallFeed.ts'

describe.each(openTestDbs())('wallFeed on $name', (backend) => {
  let db: Db
  let nats: TestServer
  let bus: Bus
  const clock = { now: () => Date.parse('2026-11-24T10:00:00+08:00') }
  const iso = (t: number) => new Date(t).toISOString()

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('wallfeed')
    bus = await Bus.connect({ url: nats.url, name: 'wallfeed-test', log: () => {} })
    await insertAlert(db, { key: 'h1', dept: 'health', at: '2026-11-24T09:00:00+08:00', level: 'red' })
    await insertAlert(db, { key: 'h2', dept: 'health', at: '2026-11-24T09:10:00+08:00', level: 'yellow' })
    await insertAlert(db, { key: 'm1', dept: 'market', at: '2026-11-24T09:20:00+08:00', level: 'red' })
    await insertAlert(db, { key: 'gone', dept: 'market', at: '2026-11-24T09:30:00+08:00', status: 'withdrawn' })
    await enqueue(db, 'h1', '+8613800138000', '【电子监察】红牌：卫健委', 'health')
    await enqueue(db, 'm1', '+8613800138001', '【电子监察】红牌：市场监管局', 'market')
  })
  afterAll(async () => {
    await bus?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('gives readers of every department the whole wall, withdrawn cards left out', async () => {
    const s = await wallFeed(db, bus, clock, iso).snapshot({ all: true })
    expect(s.alerts.map((a) => a.key)).toEqual(['m1', 'h2', 'h1'])
    expect(s.counts).toEqual({ yellow: 1, red: 2 })
    expect(s.byDept).toEqual([{ dept: 'health', yellow: 1, red: 1 }, { dept: 'market', yellow: 0, red: 1 }])
    expect(s.sms.map((m) => [m.dept, m.to])).toEqual([['market', '138****8001'], ['health', '138****8000']])
    // No event was received: the freshness and the rate say so rather than invent a time.
    expect(s.lastEventAt).toBeNull()
    expect(s.rate).toEqual([])
    expect(Array.isArray(s.daily)).toBe(true)
    expect(s.scope).toEqual({ all: true })
  })

  it('gives a department its own cards, tallies and messages only', async () => {
    const s = await wallFeed(db, bus, clock, iso).snapshot({ dept: 'health' })
    expect(s.alerts.map((a) => a.key)).toEqual(['h2', 'h1'])
    expect(s.counts).toEqual({ yellow: 1, red: 1 })
    expect(s.byDept).toEqual([{ dept: 'health', yellow: 1, red: 1 }])
    expect(s.sms.map((m) => m.body)).toEqual(['【电子监察】红牌：卫健委'])
  })

  it('turns an announced outbox id into a live, masked view', async () => {
    const feed = wallFeed(db, bus, clock, iso)
    const got: SmsView[] = []
    const sub = feed.liveSms.subscribe((m) => got.push(m))
    await bus.flush()
    const id = (await enqueue(db, 'e1', '+8613800138002', '【电子监察】督办提醒', 'env'))!
    bus.publishLive(LIVE_SMS, { id })
    bus.publishLive(LIVE_SMS, { id: 'not a number' }) // ignored
    bus.publishLive(LIVE_SMS, { id: 999_999 }) // no such row: nothing
    await expect.poll(() => got.length).toBe(1)
    await db.query(`UPDATE sms_outbox SET status = 'delivered' WHERE id = $1`, [id])
    bus.publishLive(LIVE_SMS, { id })
    await expect.poll(() => got.length).toBe(2)
    sub.unsubscribe()
    expect(got.map((m) => [m.id, m.dept, m.to, m.status])).toEqual([
      [id, 'env', '138****8002', 'pending'],
      [id, 'env', '138****8002', 'delivered'],
    ])
  })

  it('passes the kpi worker\'s announcements on, well-formed only', async () => {
    const feed = wallFeed(db, bus, clock, iso)
    const got: KpiChanged[] = []
    const sub = feed.liveKpi!.subscribe((m) => got.push(m))
    await bus.flush()
    bus.publishLive(LIVE_KPI, { periods: 'all', at: 1 }) // ignored
    bus.publishLive(LIVE_KPI, { periods: [], at: 1 }) // names nothing: ignored
    bus.publishLive(LIVE_KPI, { periods: ['2026-11', 7, '2026'], at: 2, extra: 'dropped' })
    await expect.poll(() => got.length).toBe(1)
    sub.unsubscribe()
    expect(got).toEqual([{ periods: ['2026-11', '2026'], at: 2 }])
  })
})
