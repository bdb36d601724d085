import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import type { PlatformStatus } from '../../../common/contract/index.ts'
import { type RouteServer, startRouteServer } from '../testdata/routeServer.ts'
import { statusRoutes } from './statusRoutes.ts'

const STATUS: PlatformStatus = {
  now: '2026-11-24T02:00:00.000Z',
  components: [{ component: 'rules', reporting: false, heardAt: null, status: null }],
  deadLetters: [{ stream: 'JIANCHA_EVENTS', count: 0, recent: [] }],
}

describe.each(openTestDbs())('the platform status route on $name', ({ open }) => {
  let db: Db
  let srv: RouteServer
  let reads = 0

  beforeAll(async () => {
    db = await open()
    srv = await startRouteServer(db, (sessions) => statusRoutes({ sessions, status: async () => (reads++, STATUS) }))
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
  })

  it('answers 401 without a session, reading nothing', async () => {
    expect((await srv.call(null, 'GET', '/api/v1/admin/status')).status).toBe(401)
    expect(reads).toBe(0)
  })

  it('shows an admin the status, never cached', async () => {
    const r = await srv.call('root', 'GET', '/api/v1/admin/status')
    expect([r.status, r.json, r.headers.get('cache-control')]).toEqual([200, STATUS, 'no-store'])
  })

  it('refuses every other role with 403, a department and an inspector too', async () => {
    for (const who of ['health-desk', 'wang', 'li']) {
      const r = await srv.call(who, 'GET', '/api/v1/admin/status')
      expect([who, r.status, r.json.error]).toEqual([who, 403, expect.stringContaining('may not read the platform status')])
    }
    expect(reads).toBe(1)
  })

  it('takes GET only, and leaves other paths to other routes', async () => {
    expect((await srv.call('root', 'POST', '/api/v1/admin/status', {})).status).toBe(405)
    for (const path of ['/api/v1/admin', '/api/v1/admin/status/x', '/api/v1/status']) expect((await srv.call('root', 'GET', path)).json).toEqual({ error: 'no route' })
  })
})
