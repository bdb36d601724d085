import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../../accounts/index.ts'
import { getAs, postJson } from '../../../accounts/testdata/server.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { type DataServer, insertEvent, startDataServer } from '../testdata/dataServer.ts'

const PW = 'the right password'

describe.each(openTestDbs())('case routes on $name', ({ open }) => {
  let db: Db
  let srv: DataServer
  let inspector = ''
  beforeAll(async () => {
    db = await open()
    srv = await startDataServer(db)
    await createUser(db, { username: 'wang', password: PW, role: 'inspector' })
    await createUser(db, { username: 'zhao', password: PW, role: 'inspector', canUnmask: true })
    await createUser(db, { username: 'li', password: PW, role: 'leader' })
    inspector = await srv.cookieOf('wang', PW)
    await insertEvent(db, {
      id: 'e1', kind: 'petition', type: 'registered', caseId: 'P-1', dept: 'health', at: '2026-03-01T01:00:00Z',
      attrs: { petitionerId: 'p7', petitionerName: '张三丰', phone: '13800000000', subject: '身份证 110101199003071234' },
    })
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
  })

  it('answers 401 to every read without a session', async () => {
    expect((await getAs(srv.base, '/api/v1/cases/petition/P-1/events')).status).toBe(401)
    expect((await postJson(srv.base, '/api/v1/cases/petition/P-1/unmask', { reason: 'x' })).status).toBe(401)
  })

  describe('case events and unmasking', () => {
    it('shows a case with personal data masked', async () => {
      const r = await getAs(srv.base, '/api/v1/cases/petition/P-1/events', inspector)
      expect(r.status).toBe(200)
      const body = (await r.json()) as { dept: string; masked: boolean; events: Array<{ event: { attrs: Record<string, string> } }> }
      expect(body).toMatchObject({ dept: 'health', masked: true })
      expect(body.events[0]!.event.attrs).toEqual({ petitionerId: 'p7', petitionerName: '张**', phone: '138****0000', subject: '身份证 110101********1234' })
      expect(JSON.stringify(body)).not.toMatch(/张三丰|13800000000|110101199003071234/)
      expect((await getAs(srv.base, '/api/v1/cases/petition/P-404/events', inspector)).status).toBe(404)
      expect((await getAs(srv.base, '/api/v1/cases/weather/P-1/events', inspector)).status).toBe(404)
    })

    it('refuses to unmask without the permission, whoever asks', async () => {
      const leader = await srv.cookieOf('li', PW)
      for (const c of [inspector, leader]) {
        const r = await postJson(srv.base, '/api/v1/cases/petition/P-1/unmask', { reason: '核查信访人身份' }, c)
        expect(r.status).toBe(403)
      }
      expect(srv.audits).toEqual([])
    })

    it('refuses to unmask without a reason', async () => {
      const zhao = await srv.cookieOf('zhao', PW)
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 42 }, { reason: 'x'.repeat(501) }]) {
        const r = await postJson(srv.base, '/api/v1/cases/petition/P-1/unmask', body, zhao)
        expect(r.status).toBe(400)
      }
      expect(srv.audits).toEqual([])
    })

    it('unmasks with the permission and a reason, writing the audit entry first', async () => {
      const zhao = await srv.cookieOf('zhao', PW)
      const r = await postJson(srv.base, '/api/v1/cases/petition/P-1/unmask', { reason: ' 核查信访人身份 ' }, zhao)
      expect(r.status).toBe(200)
      const body = (await r.json()) as { masked: boolean; events: Array<{ event: { attrs: Record<string, string> } }> }
      expect(body.masked).toBe(false)
      expect(body.events[0]!.event.attrs).toMatchObject({ petitionerName: '张三丰', phone: '13800000000' })
      expect(srv.audits).toEqual([{ actor: 'zhao', action: 'data.unmasked', subject: 'case:petition:P-1', detail: { reason: '核查信访人身份' } }])
    })

    it('sends nothing in clear when the audit entry cannot be written', async () => {
      const zhao = await srv.cookieOf('zhao', PW)
      srv.failNextAudit(new Error('audit log unavailable'))
      const r = await postJson(srv.base, '/api/v1/cases/petition/P-1/unmask', { reason: '核查' }, zhao)
      expect(r.status).toBe(500)
      expect(await r.text()).not.toContain('张三丰')
    })
  })
})
