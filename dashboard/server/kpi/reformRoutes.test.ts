import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { defaultContext } from '../../../rules/index.ts'
import { REFORM_NOW, storeReformCity } from '../testdata/reformCity.ts'
import { type RouteServer, startRouteServer } from '../testdata/routeServer.ts'
import { reformRoutes } from './reformRoutes.ts'

const NOVEMBER = '/api/v1/kpi/reform?from=2026-11-01&until=2026-11-30'

describe.each(openTestDbs())('the decision support route on $name', ({ open }) => {
  let db: Db
  let srv: RouteServer

  beforeAll(async () => {
    db = await open()
    await storeReformCity(db)
    srv = await startRouteServer(db, (sessions) => reformRoutes({ db, sessions, ctx: defaultContext(), now: () => REFORM_NOW }))
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
  })

  it('answers 401 without a session', async () => {
    const r = await srv.call(null, 'GET', NOVEMBER)
    expect(r.status).toBe(401)
    expect(r.json.candidates).toBeUndefined()
  })

  it('answers a leader, an inspector and an administrator with every department\'s candidates, never cached', async () => {
    for (const who of ['li', 'wang', 'root']) {
      const r = await srv.call(who, 'GET', NOVEMBER)
      expect([who, r.status, r.headers.get('cache-control')]).toEqual([who, 200, 'no-store'])
      expect([r.json.from, r.json.until]).toEqual(['2026-11-01', '2026-11-30'])
      expect(r.json.candidates.map((c: { dimension: string; key: string }) => `${c.dimension} ${c.key}`)).toEqual([
        'item FOOD-01', 'item TAX-01', 'rule approval.overdue', 'rule approval.due_soon', 'rule approval.out_of_order', 'rule enforcement.overdue',
        'rule petition.accept_overdue', 'step approval.accepted', 'step approval.decided',
      ])
      expect(r.json.candidates[0]).toMatchObject({ cards: 6, suspensions: 1, overdueDays: 17, departments: ['health', 'market'] })
    }
  })

  it('refuses a department user with 403, its own department\'s figures included', async () => {
    for (const who of ['health-desk', 'road-desk']) {
      const r = await srv.call(who, 'GET', NOVEMBER)
      expect([who, r.status, r.json.error, r.json.candidates]).toEqual([who, 403, 'a department may not read decision support', undefined])
    }
  })

  it('answers 400 naming the parameter for a bad period', async () => {
    const bad: Array<[string, string, string]> = [
      ['', 'from', 'from is required, a date YYYY-MM-DD'],
      ['?from=2026-11-01', 'until', 'until is required, a date YYYY-MM-DD'],
      ['?from=2026/11/01&until=2026-11-30', 'from', 'from must be a date YYYY-MM-DD that exists, not "2026/11/01"'],
      ['?from=2026-11-01&until=2026-11-31', 'until', 'until must be a date YYYY-MM-DD that exists, not "2026-11-31"'],
      ['?from=2026-11-30&until=2026-11-01', 'until', 'until (2026-11-01) must not be before from (2026-11-30)'],
      ['?from=2025-11-01&until=2026-11-30', 'until', 'the period from 2025-11-01 until 2026-11-30 holds 395 days; at most 366'],
    ]
    for (const [query, field, error] of bad) {
      const r = await srv.call('li', 'GET', `/api/v1/kpi/reform${query}`)
      expect([query, r.status, r.json]).toEqual([query, 400, { error, field }])
    }
  })

  it('refuses a department before it reads the period: 403, not 400', async () => {
    expect((await srv.call('health-desk', 'GET', '/api/v1/kpi/reform')).status).toBe(403)
  })

  it('takes GET only, and leaves other paths to other routes', async () => {
    expect((await srv.call('li', 'POST', NOVEMBER, {})).status).toBe(405)
    for (const path of ['/api/v1/kpi', '/api/v1/kpi/reform/x', '/api/v1/kpi/rankings?period=2026-11', '/api/v1/reform']) {
      expect([path, (await srv.call('li', 'GET', path)).json]).toEqual([path, { error: 'no route' }])
    }
  })
})
