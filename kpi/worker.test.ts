/**
 * The kpi worker on a real nats-server and database: events and cards from the streams
 * become facts once, a redelivered or repeated message changes nothing, a withdrawn
 * card is taken back, and the threads' deadlines give the cooperation counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alertSubject, Bus, eventSubject } from '../common/bus/index.ts'
import { startTestServer, type TestServer } from '../common/bus/testdata/harness.ts'
import type { CardMessage, CaseEvent, KpiChanged } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { logger } from '../common/log/index.ts'
import { defaultContext } from '../rules/index.ts'
import { ManualClock, waitFor } from '../test-support/platform.ts'
import { LIVE_KPI } from './changedPeriods.ts'
import { parsePeriod } from './period.ts'
import { figures } from './queries.ts'
import { defaultScheme } from './scheme.ts'
import { accepted, caseEvent } from './testing.ts'
import type { ThreadView } from './threadFacts.ts'
import { type KpiWorker, startKpiWorker } from './worker.ts'

const ctx = defaultContext()
const T = (iso: string) => Date.parse(iso)
const scheme = defaultScheme()

describe.each(openTestDbs())('kpi worker ($name)', ({ open }) => {
  let db: Db
  let nats: TestServer
  let bus: Bus
  let worker: KpiWorker
  const clock = new ManualClock(T('2026-11-20T00:00:00+08:00'))
  const threads: ThreadView[] = []
  const counts = async () => {
    await worker.refresh()
    const rows = await figures(db, { period: parsePeriod('2026-11') }, { zone: ctx.zone, scheme, until: T('2026-12-01T00:00:00+08:00'), fresh: true })
    return Object.fromEntries(rows.map((r) => [r.dept, Object.fromEntries(Object.entries(r.counts).filter(([, n]) => n))]))
  }
  const send = (e: CaseEvent) => bus.publish(eventSubject(e.kind, e.dept), e, `${e.source}/${e.id}`)
  const card: CardMessage = { key: 'approval.overdue:red:approval:K-1', rule: 'approval.overdue', level: 'red', kind: 'approval', caseId: 'K-1', dept: 'tax', at: '2026-11-10T00:00:00+08:00', causes: [], settingsVersion: 'v' }

  beforeAll(async () => {
    db = await open()
    nats = await startTestServer('kpi-worker')
    bus = await Bus.connect({ url: nats.url, name: 'kpi-worker-test', log: () => {} })
    worker = await startKpiWorker({ bus, db, ctx, scheme: { scheme, origin: 'default' }, clock, log: logger('test'), refreshMs: 100, batch: 10, threads: { list: async (since) => threads.filter((t) => t.updatedAt >= since || t.state !== 'approved'), ackHours: 8 } })
  })
  afterAll(async () => {
    await worker?.stop()
    await bus?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('counts events and cards once, takes a withdrawn card back, and counts the threads\' deadlines', async () => {
    await send(accepted('K-1', '2026-11-02T09:00:00+08:00', 5, { dept: 'tax', id: 'k1-a' }))
    await send(caseEvent('approval', 'completed', 'K-1', '2026-11-12T10:00:00+08:00', undefined, { dept: 'tax', id: 'k1-c' }))
    // The same event under another message id: the case holds each event id once.
    await bus.publish(eventSubject('approval', 'tax'), accepted('K-1', '2026-11-02T09:00:00+08:00', 5, { dept: 'tax', id: 'k1-a' }), 'again/k1-a')
    await bus.publish(alertSubject('red', 'tax'), card, `${card.key}@1`)
    const want = { workload: 1, 'approval.accepted': 1, 'approval.completed': 1, 'cards.red': 1 }
    await waitFor(async () => JSON.stringify((await counts()).tax) === JSON.stringify(want), 'the case counted')
    await bus.publish(alertSubject('red', 'tax'), { ...card, withdrawn: { by: 'k1-c' } }, `${card.key}!k1-c`)
    await waitFor(async () => (await counts()).tax?.['cards.red'] === undefined, 'the card taken back')
    expect(worker.status()).toMatchObject({ events: 3, cards: 2, lastError: null })

    // A thread notified Monday 2 November 10:00: its acknowledgement is due Tuesday 10:00, and it came in time.
    threads.push({ id: 7, dept: 'tax', state: 'acknowledged', notifiedAt: T('2026-11-02T10:00:00+08:00'), ackAt: T('2026-11-02T15:00:00+08:00'), rectificationDueAt: T('2026-11-09T15:00:00+08:00'), approvedAt: null, updatedAt: 1 })
    await waitFor(async () => (await counts()).tax?.['threads.ack_on_time'] === 1, 'the acknowledgement counted')
    expect((await counts()).tax).toMatchObject({ 'threads.ack_due': 1, 'threads.ack_on_time': 1, 'threads.rect_due': 1 })
    // Approved after its deadline: the rectification stays late; withdrawn, the thread counts for nothing.
    threads[0] = { ...threads[0]!, state: 'approved', approvedAt: T('2026-11-10T09:00:00+08:00'), updatedAt: 2 }
    await worker.refresh()
    expect((await counts()).tax?.['threads.rect_on_time']).toBeUndefined()
    threads[0] = { ...threads[0]!, state: 'withdrawn', updatedAt: 3 }
    await waitFor(async () => (await counts()).tax?.['threads.ack_due'] === undefined, 'the withdrawn thread taken back')
  })
})

// The worker's own refresh schedule is an hour here: only the refresh before each announcement can make the reads exact.
describe.each(openTestDbs())('kpi worker announcements ($name)', ({ open }) => {
  let db: Db
  let nats: TestServer
  let bus: Bus
  let worker: KpiWorker
  const clock = new ManualClock(T('2026-11-20T12:00:00+08:00'))
  const heard: Array<KpiChanged & { received: number }> = []
  let sub: { unsubscribe(): void }
  const send = (e: CaseEvent) => bus.publish(eventSubject(e.kind, e.dept), e, `${e.source}/${e.id}`)
  // As the wall reads on 'kpi': no refresh of its own, up to the platform clock.
  const november = async () => {
    const rows = await figures(db, { period: parsePeriod('2026-11') }, { zone: ctx.zone, scheme, until: clock.now() })
    return Object.fromEntries(rows.map((r) => [r.dept, r.counts.workload]))
  }
  const announced = (n: number) => waitFor(() => heard.length >= n, `announcement ${n}`, 5000)

  beforeAll(async () => {
    db = await open()
    nats = await startTestServer('kpi-announce')
    bus = await Bus.connect({ url: nats.url, name: 'kpi-announce-test', log: () => {} })
    sub = bus.subscribeLive<KpiChanged>(LIVE_KPI, (m) => heard.push({ ...m, received: Date.now() }))
    await bus.flush()
    worker = await startKpiWorker({ bus, db, ctx, scheme: { scheme, origin: 'default' }, clock, log: logger('test'), refreshMs: 3_600_000, batch: 10 })
  })
  afterAll(async () => {
    sub?.unsubscribe()
    await worker?.stop()
    await bus?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('announces the periods a change touched, and a read right after it holds the change, also one behind the refreshed range', async () => {
    const sent = Date.now()
    await send(accepted('N-15', '2026-11-15T09:00:00+08:00', 5, { dept: 'tax', id: 'n15' }))
    await announced(1)
    expect(heard[0]).toMatchObject({ periods: ['2026', '2026-11', '2026-Q4'], at: clock.now() })
    expect(heard[0]!.received - sent).toBeLessThan(5000)
    expect(await november()).toEqual({ tax: 1 })
    // The schedule's refresh (as every KPI_REFRESH_MS) materializes the month on TimescaleDB: a
    // fact on the 5th then lands behind the aggregates' watermark, which real-time aggregation does not cover.
    await worker.refresh()
    await send(accepted('N-5', '2026-11-05T09:00:00+08:00', 5, { dept: 'tax', id: 'n5' }))
    await announced(2)
    expect(heard[1]!.periods).toEqual(['2026', '2026-11', '2026-Q4'])
    expect(await november()).toEqual({ tax: 2 })
    // A fact of the day in progress is read from the facts themselves: exact with no refresh at all.
    const refreshed = worker.status().refreshedAt
    await send(accepted('N-20', '2026-11-20T10:00:00+08:00', 5, { dept: 'market', id: 'n20' }))
    await announced(3)
    expect(await november()).toEqual({ tax: 2, market: 1 })
    expect(worker.status().refreshedAt).toBe(refreshed)
  })

  it('coalesces a burst into about one announcement a second', async () => {
    const before = heard.length
    const start = Date.now()
    for (let i = 0; i < 30; i++) {
      await send(accepted(`B-${i}`, '2026-11-18T09:00:00+08:00', 5, { dept: 'health', id: `b${i}` }))
      await new Promise((r) => setTimeout(r, 50))
    }
    await waitFor(async () => (await november()).health === 30, 'the burst counted', 10_000)
    await new Promise((r) => setTimeout(r, 1100))
    const burst = heard.slice(before)
    const seconds = (Date.now() - start) / 1000
    expect(burst.length).toBeGreaterThan(0)
    expect(burst.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1)
    for (let i = 1; i < burst.length; i++) expect(burst[i]!.received - burst[i - 1]!.received).toBeGreaterThan(900)
    expect((await november()).health).toBe(30)
  })
})
