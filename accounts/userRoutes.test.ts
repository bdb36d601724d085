import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { io as connect } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { appendAudit } from '../common/audit/index.ts'
import { sendJson } from '../common/http/index.ts'
import { dropEndedSessions } from './socket.ts'
import { getAs, postJson, startTestServer, type TestServer } from './testdata/server.ts'
import { type UserAudit, userRoutes } from './userRoutes.ts'
import { createUser, findUser } from './users.ts'

const PW = 'the right password'
const NEW_PW = 'a fresh password 2026'
const ADDED_PW = 'the new desk password'

describe.each(openTestDbs())('account administration routes on $name', ({ open }) => {
  let db: Db
  // Sign-in and the socket come from the account routes' test server; the routes under
  // test run beside it on the same database and the same Sessions.
  let srv: TestServer
  let http: Server
  let base = ''
  let failNextAudit = false
  const logs: string[] = []
  const cookie: Record<string, string> = {}

  beforeAll(async () => {
    db = await open()
    srv = await startTestServer(db)
    const audit: UserAudit = async (e, tx) => {
      await appendAudit(tx, { at: Date.now(), ...e })
    }
    const handle = userRoutes({
      db,
      sessions: srv.sessions,
      log: (m) => logs.push(m),
      audit: async (e, tx) => {
        if (failNextAudit) {
          failNextAudit = false
          throw new Error('audit log unavailable')
        }
        await audit(e, tx)
      },
    })
    http = createServer((req, res) => {
      handle(req, res).then(
        (handled) => handled || sendJson(res, 404, { error: 'no route' }),
        () => sendJson(res, 500, { error: 'internal error' }),
      )
    })
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    for (const u of [
      { username: 'root', role: 'admin' },
      { username: 'ops', role: 'admin' },
      { username: 'wang', role: 'inspector', canUnmask: true },
      { username: 'li', role: 'leader' },
      { username: 'health-desk', role: 'department', dept: 'health' },
    ]) {
      await createUser(db, { ...u, password: PW })
      cookie[u.username] = await srv.cookieOf(u.username, PW)
    }
  })
  afterAll(async () => {
    await new Promise((ok) => http?.close(ok))
    await srv?.close()
    await db?.close()
  })

  const audits = async (action: string) =>
    (await db.query<{ actor: string; subject: string; detail: Record<string, unknown> }>(
      'SELECT actor, subject, detail FROM audit_log WHERE action = $1 ORDER BY seq', [action],
    )).rows.map((r) => ({ actor: r.actor, subject: r.subject, detail: r.detail }))
  const signsIn = async (username: string, password: string) => (await postJson(srv.base, '/api/v1/login', { username, password })).status === 200
  const isSignedIn = async (c: string) => (await getAs(srv.base, '/api/v1/me', c)).status === 200
  const CHANGES = [
    ['/api/v1/users', { username: 'x-new', password: ADDED_PW, role: 'leader' }],
    ['/api/v1/users/li/disable', { reason: '离职' }],
    ['/api/v1/users/li/enable', { reason: '返岗' }],
    ['/api/v1/users/li/password', { password: NEW_PW }],
  ] as const

  describe('who may manage accounts', () => {
    it('answers 401 to every route without a session', async () => {
      expect((await getAs(base, '/api/v1/users')).status).toBe(401)
      for (const [path, body] of CHANGES) expect([path, (await postJson(base, path, body)).status]).toEqual([path, 401])
    })

    it('answers 403 to an inspector, a leader and a department, and changes nothing', async () => {
      for (const who of ['wang', 'li', 'health-desk']) {
        expect((await getAs(base, '/api/v1/users', cookie[who])).status).toBe(403)
        for (const [path, body] of CHANGES) expect([who, path, (await postJson(base, path, body, cookie[who])).status]).toEqual([who, path, 403])
      }
      expect(await findUser(db, 'x-new')).toBeNull()
      expect(await signsIn('li', PW)).toBe(true)
      expect((await db.query("SELECT 1 FROM audit_log WHERE action LIKE 'user.%' AND action NOT LIKE 'user.login%'")).rowCount).toBe(0)
    })

    it('takes only JSON bodies, bounded, and only the methods it serves', async () => {
      const form = await fetch(`${base}/api/v1/users/li/disable`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie.root! }, body: 'reason=x',
      })
      expect(form.status).toBe(415)
      const plain = await fetch(`${base}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'text/plain', cookie: cookie.root! }, body: '{}' })
      expect(plain.status).toBe(415)
      expect((await postJson(base, '/api/v1/users/li/password', { password: 'x'.repeat(9000) }, cookie.root)).status).toBe(413)
      expect((await postJson(base, '/api/v1/users/li/disable', ['离职'], cookie.root)).status).toBe(400)
      const notJson = await fetch(`${base}/api/v1/users/li/disable`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookie.root! }, body: '{' })
      expect(notJson.status).toBe(400)
      const del = await fetch(`${base}/api/v1/users`, { method: 'DELETE', headers: { cookie: cookie.root! } })
      expect([del.status, del.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST'])
      expect((await getAs(base, '/api/v1/users/li/disable', cookie.root)).status).toBe(405)
      expect((await getAs(base, '/api/v1/users/li', cookie.root)).status).toBe(404)
      expect(await signsIn('li', PW)).toBe(true)
    })
  })

  describe('GET /api/v1/users', () => {
    it('lists every account with its role and flags, never a hash', async () => {
      const r = await getAs(base, '/api/v1/users', cookie.root)
      expect(r.status).toBe(200)
      expect(r.headers.get('set-cookie')).toContain('Max-Age=28800')
      const text = await r.text()
      expect(text).not.toMatch(/scrypt|hash|password/i)
      const { users } = JSON.parse(text) as { users: Array<Record<string, unknown>> }
      expect(users.map((u) => u.username)).toEqual(['health-desk', 'li', 'ops', 'root', 'wang'])
      expect(users[0]).toEqual({ username: 'health-desk', role: 'department', dept: 'health', canUnmask: false, disabled: false, createdAt: expect.any(String) })
      expect(users[4]).toMatchObject({ username: 'wang', role: 'inspector', dept: null, canUnmask: true })
      expect(Date.parse(users[0]!.createdAt as string)).not.toBeNaN()
    })
  })

  describe('POST /api/v1/users', () => {
    it('adds an account that can sign in, audited as created in the console', async () => {
      const r = await postJson(base, '/api/v1/users', { username: 'Market-Clerk', password: ADDED_PW, role: 'department', dept: 'market' }, cookie.root)
      expect(r.status).toBe(201)
      expect(await r.json()).toEqual({
        user: { username: 'market-clerk', role: 'department', dept: 'market', canUnmask: false, disabled: false, createdAt: expect.any(String) },
      })
      expect(await signsIn('market-clerk', ADDED_PW)).toBe(true)
      expect(await audits('user.created')).toEqual([
        { actor: 'root', subject: 'user:market-clerk', detail: { role: 'department', dept: 'market', canUnmask: false, via: 'console' } },
      ])
    })

    it.each<[string, Record<string, unknown>, string]>([
      ['a short password', { username: 'x1', password: 'too short', role: 'leader' }, 'password'],
      ['a password that is not a string', { username: 'x1', password: 123456789012, role: 'leader' }, 'password'],
      ['no role', { username: 'x1', password: ADDED_PW }, 'role'],
      ['an unknown role', { username: 'x1', password: ADDED_PW, role: 'root' }, 'role'],
      ['a malformed username', { username: 'x 1', password: ADDED_PW, role: 'leader' }, 'username'],
      ['a department user without a department', { username: 'x1', password: ADDED_PW, role: 'department' }, 'dept'],
      ['a department that is not a string', { username: 'x1', password: ADDED_PW, role: 'department', dept: 7 }, 'dept'],
      ['unmask for a leader', { username: 'x1', password: ADDED_PW, role: 'leader', canUnmask: true }, 'canUnmask'],
      ['unmask that is not a boolean', { username: 'x1', password: ADDED_PW, role: 'inspector', canUnmask: 'yes' }, 'canUnmask'],
    ])('refuses %s with 400 naming the field', async (_, body, field) => {
      const r = await postJson(base, '/api/v1/users', body, cookie.root)
      expect(r.status).toBe(400)
      expect(await r.json()).toMatchObject({ field })
      expect(await findUser(db, 'x1')).toBeNull()
    })

    it('answers 409 when the username is taken, in any case', async () => {
      const r = await postJson(base, '/api/v1/users', { username: 'WANG', password: ADDED_PW, role: 'leader' }, cookie.root)
      expect(r.status).toBe(409)
      expect(await r.json()).toEqual({ error: 'username "wang" is taken', field: 'username' })
      expect((await findUser(db, 'wang'))?.role).toBe('inspector')
    })

    it('creates nothing when its audit row cannot be written', async () => {
      failNextAudit = true
      expect((await postJson(base, '/api/v1/users', { username: 'unaudited', password: ADDED_PW, role: 'leader' }, cookie.root)).status).toBe(500)
      expect(await findUser(db, 'unaudited')).toBeNull()
    })
  })

  describe('disabling and enabling', () => {
    it('needs a reason of 1–500 characters', async () => {
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 42 }, { reason: '因'.repeat(501) }]) {
        const r = await postJson(base, '/api/v1/users/li/disable', body, cookie.root)
        expect(r.status).toBe(400)
        expect(await r.json()).toMatchObject({ field: 'reason' })
      }
      expect((await postJson(base, '/api/v1/users/li/enable', {}, cookie.root)).status).toBe(400)
      expect(await signsIn('li', PW)).toBe(true)
    })

    it('refuses an administrator disabling themselves, and names an unknown account with 404', async () => {
      const self = await postJson(base, '/api/v1/users/ROOT/disable', { reason: '测试' }, cookie.root)
      expect(self.status).toBe(400)
      expect(((await self.json()) as { error: string }).error).toBe('an administrator may not disable their own account')
      expect(await isSignedIn(cookie.root!)).toBe(true)
      for (const op of ['disable', 'enable']) {
        const r = await postJson(base, `/api/v1/users/ghost/${op}`, { reason: '测试' }, cookie.root)
        expect(r.status).toBe(404)
        expect(((await r.json()) as { error: string }).error).toContain('"ghost"')
      }
    })

    it('disables an account: its sessions end at once, its socket is dropped, it cannot sign in', async () => {
      const second = await srv.cookieOf('health-desk', PW)
      const socket = connect(srv.base, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: second } })
      await new Promise<void>((ok, fail) => {
        socket.once('connect', () => ok())
        socket.once('connect_error', fail)
      })
      const gone = new Promise<void>((ok) => socket.once('disconnect', () => ok()))
      const r = await postJson(base, '/api/v1/users/Health-Desk/disable', { reason: ' 人员调岗 ' }, cookie.root)
      expect(r.status).toBe(200)
      expect(await r.json()).toMatchObject({ user: { username: 'health-desk', disabled: true } })
      expect(await isSignedIn(cookie['health-desk']!)).toBe(false)
      expect(await isSignedIn(second)).toBe(false)
      expect(await dropEndedSessions(srv.io, srv.sessions)).toBe(1)
      await gone
      expect(await signsIn('health-desk', PW)).toBe(false)
      expect(await isSignedIn(cookie.wang!)).toBe(true)
      expect(await audits('user.disabled')).toEqual([{ actor: 'root', subject: 'user:health-desk', detail: { reason: '人员调岗', via: 'console' } }])
      expect(logs).toContain('dashboard: account health-desk disabled by root: 人员调岗')
    })

    it('lets another administrator disable an administrator', async () => {
      const r = await postJson(base, '/api/v1/users/ops/disable', { reason: '交接' }, cookie.root)
      expect(r.status).toBe(200)
      expect(await isSignedIn(cookie.ops!)).toBe(false)
      expect((await postJson(base, '/api/v1/users/ops/enable', { reason: '交接完成' }, cookie.root)).status).toBe(200)
    })

    it('enables an account again, audited with its reason', async () => {
      const r = await postJson(base, '/api/v1/users/health-desk/enable', { reason: '调岗取消' }, cookie.root)
      expect(r.status).toBe(200)
      expect(await r.json()).toMatchObject({ user: { username: 'health-desk', disabled: false } })
      expect(await signsIn('health-desk', PW)).toBe(true)
      expect((await audits('user.enabled')).at(-1)).toEqual({ actor: 'root', subject: 'user:health-desk', detail: { reason: '调岗取消', via: 'console' } })
    })

    it('leaves the account enabled when the audit row cannot be written', async () => {
      const c = await srv.cookieOf('li', PW)
      failNextAudit = true
      expect((await postJson(base, '/api/v1/users/li/disable', { reason: '离职' }, cookie.root)).status).toBe(500)
      expect((await findUser(db, 'li'))?.disabled).toBe(false)
      expect(await isSignedIn(c)).toBe(true)
    })
  })

  describe('POST /api/v1/users/:username/password', () => {
    it('sets a new password: 204, the old one fails, every session of the user ends', async () => {
      const li = await srv.cookieOf('li', PW)
      const r = await postJson(base, '/api/v1/users/LI/password', { password: NEW_PW }, cookie.root)
      expect(r.status).toBe(204)
      expect(await r.text()).toBe('')
      expect(await isSignedIn(li)).toBe(false)
      expect(await signsIn('li', PW)).toBe(false)
      expect(await signsIn('li', NEW_PW)).toBe(true)
      expect(await audits('user.password_reset')).toEqual([{ actor: 'root', subject: 'user:li', detail: { via: 'console' } }])
    })

    it('refuses a short password with 400 and an unknown account with 404', async () => {
      const short = await postJson(base, '/api/v1/users/li/password', { password: 'eleven char' }, cookie.root)
      expect(short.status).toBe(400)
      expect(await short.json()).toMatchObject({ field: 'password' })
      expect((await postJson(base, '/api/v1/users/li/password', {}, cookie.root)).status).toBe(400)
      expect((await postJson(base, '/api/v1/users/ghost/password', { password: NEW_PW }, cookie.root)).status).toBe(404)
      expect(await signsIn('li', NEW_PW)).toBe(true)
    })

    it('signs an administrator out of this browser after resetting their own password', async () => {
      const mine = await srv.cookieOf('ops', PW)
      const r = await postJson(base, '/api/v1/users/ops/password', { password: NEW_PW }, mine)
      expect(r.status).toBe(204)
      expect(r.headers.get('set-cookie')).toMatch(/^jiancha_session=; Max-Age=0;/)
      expect(await isSignedIn(mine)).toBe(false)
    })

    it('keeps every password out of the audit trail and the log', async () => {
      const trail = await db.query<{ detail: unknown }>('SELECT detail FROM audit_log')
      const written = JSON.stringify(trail.rows) + logs.join('\n')
      for (const pw of [PW, NEW_PW, ADDED_PW, 'too short', 'eleven char']) expect(written).not.toContain(pw)
    })
  })
})
