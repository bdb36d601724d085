import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredAlert } from '../alerts/index.ts'
import type { Me } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { createUser } from './users.ts'
import { getAs, insertAlert, insertEvent, postJson, startTestServer, type TestServer } from './testdata/server.ts'

const PW = 'the right password'

describe.each(openTestDbs())('account routes on $name', ({ open }) => {
  let db: Db
  let srv: TestServer
  let inspector = ''
  beforeAll(async () => {
    db = await open()
    srv = await startTestServer(db)
    await createUser(db, { username: 'wang', password: PW, role: 'inspector' })
    await createUser(db, { username: 'zhao', password: PW, role: 'inspector', canUnmask: true })
    await createUser(db, { username: 'li', password: PW, role: 'leader' })
    inspector = await srv.cookieOf('wang', PW)
    // Three cards at one instant, to page across a tie.
    await insertAlert(db, { key: 'a:1', dept: 'health', at: '2026-03-01T01:00:00Z', level: 'yellow', rule: 'petition.due_soon' })
    await insertAlert(db, { key: 'a:2', dept: 'health', at: '2026-03-02T01:00:00Z' })
    await insertAlert(db, { key: 'a:3', dept: 'transport', at: '2026-03-02T01:00:00Z' })
    await insertAlert(db, { key: 'a:4', dept: 'transport', at: '2026-03-02T01:00:00Z' })
    await insertAlert(db, { key: 'a:5', dept: 'transport', at: '2026-03-03T01:00:00Z', status: 'withdrawn' })
    await insertEvent(db, {
      id: 'e1', kind: 'petition', type: 'registered', caseId: 'P-1', dept: 'health', at: '2026-03-01T01:00:00Z',
      attrs: { petitionerId: 'p7', petitionerName: '张三丰', phone: '13800000000', subject: '身份证 110101199003071234' },
    })
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
  })

  describe('POST /api/v1/login', () => {
    it('signs in and sets the session cookie with its flags', async () => {
      const r = await postJson(srv.base, '/api/v1/login', { username: 'li', password: PW })
      expect(r.status).toBe(200)
      expect(await r.json()).toEqual({ user: { username: 'li', role: 'leader', dept: null, canUnmask: false }, permissions: ['alerts.read', 'rankings.read'], zone: 'Asia/Tokyo' })
      const cookie = r.headers.get('set-cookie')!
      expect(cookie).toMatch(/^jiancha_session=[A-Za-z0-9_-]{43}; /)
      for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure', 'Max-Age=28800']) expect(cookie.split('; ')).toContain(flag)
      expect(r.headers.get('cache-control')).toBe('no-store')
    })

    it('answers an unknown user and a wrong password with the same 401', async () => {
      const a = await postJson(srv.base, '/api/v1/login', { username: 'nobody', password: PW })
      const b = await postJson(srv.base, '/api/v1/login', { username: 'wang', password: 'wrong password' })
      expect([a.status, b.status]).toEqual([401, 401])
      expect(await a.json()).toEqual(await b.json())
      expect(a.headers.get('set-cookie')).toBeNull()
    })

    it('answers 429 with Retry-After after 5 failures for a username', async () => {
      for (let i = 0; i < 5; i++) expect((await postJson(srv.base, '/api/v1/login', { username: 'target', password: `guess ${i}` })).status).toBe(401)
      const r = await postJson(srv.base, '/api/v1/login', { username: 'target', password: 'guess 6' })
      expect(r.status).toBe(429)
      const retry = Number(r.headers.get('retry-after'))
      expect(retry).toBeGreaterThan(890)
      expect(retry).toBeLessThanOrEqual(900)
      expect(await r.json()).toMatchObject({ retryAfterS: retry })
    })

    it('refuses anything but a JSON object of two strings', async () => {
      const form = await fetch(`${srv.base}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=li' })
      expect(form.status).toBe(415)
      expect((await postJson(srv.base, '/api/v1/login', { username: 'li' })).status).toBe(400)
      expect((await postJson(srv.base, '/api/v1/login', ['li', PW])).status).toBe(400)
      expect((await postJson(srv.base, '/api/v1/login', { username: 'li', password: 'x'.repeat(9000) })).status).toBe(413)
      expect((await fetch(`${srv.base}/api/v1/login`)).status).toBe(405)
    })
  })

  describe('sessions over HTTP', () => {
    it('knows who is signed in, refreshes the cookie, and forgets after logout', async () => {
      const cookie = await srv.cookieOf('li', PW)
      const me = await getAs(srv.base, '/api/v1/me', cookie)
      expect(me.status).toBe(200)
      expect((await me.json()) as Me).toMatchObject({ user: { username: 'li' }, zone: 'Asia/Tokyo' }) // the platform zone the app shows times in
      expect(me.headers.get('set-cookie')).toContain('Max-Age=28800')
      const out = await postJson(srv.base, '/api/v1/logout', {}, cookie)
      expect(out.status).toBe(200)
      expect(out.headers.get('set-cookie')).toMatch(/^jiancha_session=; Max-Age=0;/)
      const after = await getAs(srv.base, '/api/v1/me', cookie)
      expect(after.status).toBe(401)
      expect(after.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    })

    it('answers 401 to every read without a session', async () => {
      for (const p of ['/api/v1/me', '/api/v1/alerts', '/api/v1/alerts/a:1', '/api/v1/cases/petition/P-1/events']) {
        expect((await getAs(srv.base, p)).status).toBe(401)
      }
      expect((await postJson(srv.base, '/api/v1/cases/petition/P-1/unmask', { reason: 'x' })).status).toBe(401)
    })
  })

  describe('GET /api/v1/alerts', () => {
    const keys = async (q: string) => {
      const r = await getAs(srv.base, `/api/v1/alerts${q}`, inspector)
      expect(r.status).toBe(200)
      const page = (await r.json()) as { alerts: StoredAlert[]; next: string | null }
      return { keys: page.alerts.map((a) => a.key), next: page.next }
    }

    it('lists standing cards newest first, and filters', async () => {
      expect((await keys('')).keys).toEqual(['a:4', 'a:3', 'a:2', 'a:1'])
      expect((await keys('?dept=health')).keys).toEqual(['a:2', 'a:1'])
      expect((await keys('?level=yellow')).keys).toEqual(['a:1'])
      expect((await keys('?rule=petition.overdue&dept=transport')).keys).toEqual(['a:4', 'a:3'])
      expect((await keys('?status=withdrawn')).keys).toEqual(['a:5'])
    })

    it('pages with `next`, across cards of the same instant', async () => {
      const p1 = await keys('?limit=2')
      expect(p1.keys).toEqual(['a:4', 'a:3'])
      const p2 = await keys(`?limit=2&before=${encodeURIComponent(p1.next!)}`)
      expect(p2.keys).toEqual(['a:2', 'a:1'])
      const p3 = await keys(`?limit=2&before=${encodeURIComponent(p2.next!)}`)
      expect(p3).toEqual({ keys: [], next: null })
      expect((await keys(`?before=${encodeURIComponent('2026-03-02T09:00:00+08:00')}`)).keys).toEqual(['a:1'])
    })

    it('refuses bad filters with 400', async () => {
      for (const q of ['?level=green', '?limit=0', '?limit=501', '?limit=abc', '?before=yesterday']) {
        expect((await getAs(srv.base, `/api/v1/alerts${q}`, inspector)).status).toBe(400)
      }
    })

    it('reads one card by its key', async () => {
      const r = await getAs(srv.base, `/api/v1/alerts/${encodeURIComponent('a:2')}`, inspector)
      expect(r.status).toBe(200)
      expect(await r.json()).toMatchObject({ key: 'a:2', dept: 'health', level: 'red', status: 'open' })
      expect((await getAs(srv.base, '/api/v1/alerts/nope', inspector)).status).toBe(404)
    })
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
