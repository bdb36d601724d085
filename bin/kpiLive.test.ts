/**
 * Live equals replay (docs/kpi.md): the contract's examples and the worked example,
 * sent through the collector in shuffled order, give in the database, through the
 * rules, the alerts and the kpi worker, exactly the lines `jiancha kpi replay` prints
 * for the same events, by month, quarter and year, on each backend. The cooperation
 * counts (threads.*) are aside: this platform counts no threads (KPI_THREADS=false).
 * A dashboard of its own, with no kpi worker in its process, answers the same figures
 * over the KPI API (docs/kpi.md "The API").
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { createUser } from '../accounts/index.ts'
import type { KpiRanking } from '../common/contract/index.ts'
import { defaultScheme, figures, formatKpiLine, kpiReplayLines, parsePeriod, PERIOD_UNITS, type PeriodUnit } from '../kpi/index.ts'
import { shuffle } from '../kpi/testing.ts'
import { defaultContext } from '../rules/index.ts'
import { asHall, ManualClock, post, startTestPlatform, startTestServer, waitFor } from '../test-support/platform.ts'
import type { Platform } from './platform.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const FILES = ['common/contract/examples/every-rule.jsonl', 'common/contract/examples/national-day.jsonl', 'common/contract/examples/petitions.jsonl', 'kpi/testdata/worked-example.jsonl']
const UNTIL = Date.parse('2026-12-31T00:00:00+08:00')
const lines = FILES.flatMap((f) => readFileSync(`${root}${f}`, 'utf8').split('\n').filter(Boolean))
const events: CaseEvent[] = asHall(lines.map((l) => JSON.parse(l) as CaseEvent))
const ctx = defaultContext()
const replay = (unit: PeriodUnit) => kpiReplayLines(lines, { until: UNTIL, unit, ctx }).rows.map(formatKpiLine)

describe.each(openTestDbs())('kpi live = replay on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  const clock = new ManualClock(UNTIL)
  const live = async (unit: PeriodUnit) => (await figures(db, { unit }, { zone: ctx.zone, scheme: defaultScheme(), until: UNTIL, fresh: true })).map(formatKpiLine)

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('kpi-live')
    // The clock stands at the end, so every event is weeks late. A card the rules raise before
    // a case's other events are in (they reach the rules in several batches) is withdrawn by
    // them, as long as they are within the allowed lateness: a year here, so that the cards
    // end as replay's, withdrawals and all.
    platform = await startTestPlatform(db, nats, clock, ['collector', 'rules', 'alerts', 'kpi'], { config: { settleMs: 1000, allowedLatenessHours: 24 * 366, kpiThreads: false } })
  })

  afterAll(async () => {
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
  })

  it('prints from the database what kpi replay prints, by month, quarter and year', async () => {
    expect(replay('month').length).toBeGreaterThan(10)
    const shuffled = shuffle(events, 20261231)
    expect((await post(platform, shuffled)).json).toMatchObject({ accepted: events.length })
    const want = replay('month')
    await waitFor(async () => JSON.stringify(await live('month')) === JSON.stringify(want), 'live figures equal to the replay', 30_000).catch(() => {})
    expect(await live('month')).toEqual(want)
    for (const unit of PERIOD_UNITS) expect(await live(unit), unit).toEqual(replay(unit))
    expect(platform.kpi!.status()).toMatchObject({ events: events.length, lastError: null, rollups: db.timescale ? 'timescale' : 'plain' })
  })

  it('answers the same figures over the KPI API from a dashboard process where no kpi worker runs', async () => {
    const dash = await startTestPlatform(db, nats, clock, ['dashboard'])
    try {
      const password = 'the right password'
      await createUser(db, { username: 'li', role: 'leader', password })
      const login = await fetch(`${dash.dashboardUrl}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'li', password }) })
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!
      // December is not frozen yet (its grace runs into January): live, to the platform clock.
      const r = await fetch(`${dash.dashboardUrl}/api/v1/kpi/rankings?period=2026-12`, { headers: { cookie } })
      expect(r.status).toBe(200)
      const body = (await r.json()) as KpiRanking
      const want = await figures(db, { period: parsePeriod('2026-12') }, { zone: ctx.zone, scheme: defaultScheme(), until: UNTIL, fresh: true })
      expect(body).toMatchObject({ period: '2026-12', status: 'live', asOf: UNTIL, scheme: { version: defaultScheme().version } })
      expect(want.length).toBeGreaterThan(2)
      expect(body.rows.map((x) => [x.dept, x.score, x.grade, x.rank, x.counts])).toEqual(want.map((x) => [x.dept, x.score, x.grade, x.rank, x.counts]))
    } finally {
      await dash.stop()
    }
  })
})
