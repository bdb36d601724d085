/**
 * The figures' live path across processes (docs/kpi.md "Live updates"): the kpi worker
 * runs in one platform (collector, rules, alerts, kpi), the dashboard in another with a
 * bus connection of its own, as `jiancha kpi` and `jiancha dashboard` would. An event
 * posted to the collector reaches a signed-in socket of the dashboard as `kpi` within
 * 5 s, and the ranking the dashboard answers right after it holds the change, on each
 * backend, with the kpi worker's own refresh schedule at an hour.
 */
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseEvent, KpiChanged, KpiRanking } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { ManualClock, post, signInAs, startTestPlatform, startTestServer } from '../test-support/platform.ts'
import type { Platform } from './platform.ts'

let n = 0
const ev = (dept: string, caseId: string, type: string, at: string, attrs?: Record<string, unknown>): CaseEvent => ({ id: `ka${++n}`, source: 'hall', kind: 'approval', type, caseId, dept, at, ...(attrs ? { attrs } : {}) })
const opened = (dept: string, caseId: string, at: string) => [ev(dept, caseId, 'submitted', at, { itemCode: 'MKT-001' }), ev(dept, caseId, 'accepted', at, { itemCode: 'MKT-001', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 })]

describe.each(openTestDbs())('kpi announcements across processes on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let kpi: Platform
  let dash: Platform
  let socket: Socket
  let cookie = ''
  const heard: Array<KpiChanged & { received: number }> = []
  const clock = new ManualClock(Date.parse('2026-11-20T12:00:00+08:00'))
  const ranking = async (): Promise<KpiRanking> => {
    const r = await fetch(`${dash.dashboardUrl}/api/v1/kpi/rankings?period=2026-11`, { headers: { cookie } })
    expect(r.status).toBe(200)
    return (await r.json()) as KpiRanking
  }
  /** announcedAfter waits for the first announcement heard after `since` naming November. */
  const announcedAfter = async (since: number): Promise<KpiChanged & { received: number }> => {
    const end = Date.now() + 5000
    for (;;) {
      const got = heard.find((h) => h.received >= since && h.periods.includes('2026-11'))
      if (got) return got
      if (Date.now() > end) throw new Error(`no announcement within 5 s; heard ${JSON.stringify(heard)}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  /** quiet waits until no announcement came for 1.5 s (the cards of what was sent are in). */
  const quiet = async () => {
    for (;;) {
      const last = heard.at(-1)?.received ?? 0
      if (Date.now() - last > 1500) return
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('kpi-announce')
    kpi = await startTestPlatform(db, nats, clock, ['collector', 'rules', 'alerts', 'kpi'], { config: { kpiRefreshMs: 3_600_000, kpiThreads: false } })
    dash = await startTestPlatform(db, nats, clock, ['dashboard'])
    cookie = await signInAs(dash, db)
    socket = connect(dash.dashboardUrl!, { transports: ['websocket'], extraHeaders: { cookie } })
    socket.on('kpi', (c: KpiChanged) => heard.push({ ...c, received: Date.now() }))
    await new Promise<void>((ok) => socket.once('connect', () => ok()))
  })

  afterAll(async () => {
    socket?.close()
    await dash?.stop()
    await kpi?.stop()
    await nats?.dispose()
    await db?.close()
  })

  it('tells the dashboard\'s sockets within 5 s, and its ranking read then holds the change, a late one behind the refreshed range too', async () => {
    let sent = Date.now()
    expect((await post(kpi, [...opened('tax', 'T-1', '2026-11-16T09:00:00+08:00'), ev('tax', 'T-1', 'completed', '2026-11-17T10:00:00+08:00')])).json).toMatchObject({ accepted: 3 })
    let got = await announcedAfter(sent)
    expect(got.received - sent).toBeLessThan(5000)
    expect(got.periods).toEqual(expect.arrayContaining(['2026', '2026-11', '2026-Q4']))
    expect((await ranking()).rows.map((r) => [r.dept, r.counts['approval.completed']])).toEqual([['tax', 1]])
    // The schedule's refresh, as every KPI_REFRESH_MS: November is materialized on TimescaleDB.
    await quiet()
    await kpi.kpi!.refresh()
    // One late event (one message, one batch): the first announcement after it must hold it.
    sent = Date.now()
    expect((await post(kpi, [ev('market', 'M-1', 'accepted', '2026-11-03T09:00:00+08:00', { itemCode: 'MKT-001', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 })])).json).toMatchObject({ accepted: 1 })
    got = await announcedAfter(sent)
    expect(got.received - sent).toBeLessThan(5000)
    expect((await ranking()).rows.find((r) => r.dept === 'market')?.counts.workload).toBe(1)
  })
})
