import type { Me } from '../common/contract/index.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { createUser } from './users.ts'
import { getAs, postJson, startTestServer, type TestServer } from './testdata/server.ts'

const PW = 'the right password'

describe.each(openTestDbs())('sign-in routes on $name', ({ open }) => {
  let db: Db
  let srv: TestServer
  beforeAll(async () => {
    db = await open()
    srv = await startTestServer(db)
    await createUser(db, { username: 'wang', password: PW, role: 'inspector' })
    await createUser(db, { username: 'li', password: PW, role: 'leader' })
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
  })

  describe('POST /api/v1/login', () => {
    it('signs in and sets the session cookie with its flags', async () => {
      const r = await postJson(srv.base, '/api/v1/login', { username: 'li', password: PW })
      expect(r.status).toBe(200)
      expect(await r.json()).toEqual({ user: { username: 'li', role: 'leader', dept: null, canUnmask: false }, permissions: ['alerts.read', 'rankings.read', 'kpi.read'], zone: 'Asia/Tokyo' })
      const cookie = r.headers.getSetCookie().find((c) => c.startsWith('jiancha_session='))!
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

    it('answers 429 with Retry-After after 5 failures from one address, and keeps a known device usable', async () => {
      for (let i = 0; i < 5; i++) expect((await postJson(srv.base, '/api/v1/login', { username: 'target', password: `guess ${i}` })).status).toBe(401)
      const r = await postJson(srv.base, '/api/v1/login', { username: 'target', password: 'guess 6' })
      expect(r.status).toBe(429)
      const retry = Number(r.headers.get('retry-after'))
      expect(retry).toBeGreaterThan(0)
      expect(retry).toBeLessThanOrEqual(30)
      expect(await r.json()).toMatchObject({ retryAfterS: retry })
    })

    it('gives a signed-in browser a device cookie, only for the sign-in path', async () => {
      const r = await postJson(srv.base, '/api/v1/login', { username: 'li', password: PW })
      const device = r.headers.getSetCookie().find((c) => c.startsWith('jiancha_device='))!
      expect(device).toMatch(/^jiancha_device=[A-Za-z0-9_-]{43}; /)
      for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/login', 'Secure']) expect(device.split('; ')).toContain(flag)
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

    it('answers 401 to /me without a session', async () => {
      expect((await getAs(srv.base, '/api/v1/me')).status).toBe(401)
    })
  })
})
