import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAudit } from '../../../common/audit/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { type RouteServer, startRouteServer } from '../testdata/routeServer.ts'
import { auditWriter } from './consoleAudit.ts'
import { contactRoutes } from './contactRoutes.ts'

describe.each(openTestDbs())('contact routes on $name', ({ open }) => {
  let db: Db
  let srv: RouteServer
  const clock = { t: Date.parse('2026-03-02T02:00:00Z'), now: () => clock.t }

  beforeAll(async () => {
    db = await open()
    srv = await startRouteServer(db, (sessions) => contactRoutes({ db, sessions, audit: auditWriter(db, clock.now), now: clock.now, log: () => {} }))
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
  })

  const call = (...a: Parameters<RouteServer['call']>) => srv.call(...a)

  it('answers 401 without a session', async () => {
    expect((await call(null, 'GET', '/api/v1/contacts')).status).toBe(401)
  })

  it('keeps contacts to admins and names a bad field', async () => {
    expect((await call('wang', 'PUT', '/api/v1/contacts/health/duty', { name: '值班员', phone: '+8613800001111' })).status).toBe(403)
    expect(await call('root', 'PUT', '/api/v1/contacts/health/duty', { name: '值班员', phone: '12345' })).toMatchObject({ status: 400, json: { field: 'phone' } })
    expect(await call('root', 'PUT', '/api/v1/contacts/health/boss', { name: '值班员', phone: '+8613800001111' })).toMatchObject({ status: 400, json: { field: 'role' } })
    expect((await call('root', 'PUT', '/api/v1/contacts/health/duty', { name: '值班员', phone: '+86 138-0000-1111' })).json).toEqual({
      dept: 'health', role: 'duty', name: '值班员', phone: '+8613800001111',
    })
    expect((await call('root', 'GET', '/api/v1/contacts/health/duty')).json).toMatchObject({ phone: '+8613800001111' })
    expect((await call('root', 'GET', '/api/v1/contacts/health/head')).status).toBe(404)
    expect((await call('li', 'GET', '/api/v1/contacts')).status).toBe(403)
    expect((await call('root', 'GET', '/api/v1/contacts')).json.contacts).toHaveLength(1)
  })

  it('audits who changed which entry, never its content', async () => {
    const rows = await db.query<{ actor: string; subject: string; detail: unknown }>("SELECT actor, subject, detail FROM audit_log WHERE action = 'contact.updated'")
    expect(rows.rows).toEqual([{ actor: 'root', subject: 'contact:health/duty', detail: {} }])
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })
})
