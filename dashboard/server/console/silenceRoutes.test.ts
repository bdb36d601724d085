import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAudit } from '../../../common/audit/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { type RouteServer, startRouteServer } from '../testdata/routeServer.ts'
import { auditWriter } from './consoleAudit.ts'
import { silenceRoutes } from './silenceRoutes.ts'

describe.each(openTestDbs())('silence routes on $name', ({ open }) => {
  let db: Db
  let srv: RouteServer
  const clock = { t: Date.parse('2026-03-02T02:00:00Z'), now: () => clock.t }

  beforeAll(async () => {
    db = await open()
    srv = await startRouteServer(db, (sessions) => silenceRoutes({
      db, sessions, audit: auditWriter(db, clock.now), now: clock.now, format: (t) => new Date(t).toISOString(), log: () => {},
    }))
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
  })

  const call = (...a: Parameters<RouteServer['call']>) => srv.call(...a)

  it('answers 401 without a session', async () => {
    expect((await call(null, 'GET', '/api/v1/silences')).status).toBe(401)
  })

  it('keeps silences to inspectors and admins, with a reason', async () => {
    expect((await call('li', 'GET', '/api/v1/silences')).status).toBe(403)
    expect((await call('li', 'POST', '/api/v1/silences', { dept: 'health', endsAt: '2026-03-03T00:00:00Z', reason: '系统维护' })).status).toBe(403)
    expect(await call('wang', 'POST', '/api/v1/silences', { dept: 'health', endsAt: '2026-03-03T00:00:00Z' })).toMatchObject({ status: 400, json: { field: 'reason' } })
    expect(await call('wang', 'POST', '/api/v1/silences', { dept: 'health', endsAt: 'tomorrow', reason: '系统维护' })).toMatchObject({ status: 400, json: { field: 'endsAt' } })
    const made = await call('wang', 'POST', '/api/v1/silences', { dept: 'health', endsAt: '2026-03-03T00:00:00Z', reason: '系统维护' })
    expect(made).toMatchObject({ status: 201, json: { silence: { dept: 'health', createdBy: 'wang', reason: '系统维护' } } })
    expect((await call('root', 'GET', '/api/v1/silences')).json.silences).toHaveLength(1)
    const id = made.json.silence.id as string
    expect((await call('li', 'DELETE', `/api/v1/silences/${id}`, { reason: '维护结束' })).status).toBe(403)
    expect(await call('wang', 'DELETE', `/api/v1/silences/${id}`, {})).toMatchObject({ status: 400, json: { field: 'reason' } })
    clock.t += 60_000
    expect(await call('root', 'DELETE', `/api/v1/silences/${id}`, { reason: '维护结束' })).toMatchObject({ status: 200, json: { status: 'expired' } })
    expect((await call('wang', 'DELETE', `/api/v1/silences/${id}`, { reason: '维护结束' })).status).toBe(404)
    const audited = await db.query<{ actor: string; subject: string }>("SELECT actor, subject FROM audit_log WHERE action = 'silence.created'")
    expect(audited.rows).toEqual([{ actor: 'wang', subject: `silence:${id}` }])
  })

  it('leaves the audit trail intact', async () => {
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })
})
