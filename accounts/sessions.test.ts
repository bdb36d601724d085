import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { hashPassword } from './password.ts'
import { deviceToken, SESSION_TTL_MS, Sessions, sessionToken, type LoginAudit, type LoginResult } from './sessions.ts'
import { FIRST_WAIT_MS, MAX_WAIT_MS, WINDOW_MS } from './throttle.ts'
import { createUser, findUser } from './users.ts'

const PW = 'the right password'
const T0 = Date.parse('2026-03-02T09:00:00+08:00')
/** a cheap scrypt cost for this file's many sign-ins (production's is SCRYPT_PARAMS, N = 2^15) */
const FAST = { N: 2 ** 10, r: 8, p: 1 }

describe('session cookie', () => {
  const token = 'A'.repeat(43)

  it('is HttpOnly, SameSite=Strict, Path=/, Secure and lives 8 hours', () => {
    const c = new Sessions({ query: async () => ({ rows: [], rowCount: 0 }) }).cookie(token)
    expect(c.split('; ')).toEqual([`jiancha_session=${token}`, 'Max-Age=28800', 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Secure'])
  })

  it('drops Secure only when told to, and clears with Max-Age=0', () => {
    const s = new Sessions({ query: async () => ({ rows: [], rowCount: 0 }) }, { secureCookies: false })
    expect(s.cookie(token)).not.toContain('Secure')
    expect(s.clearCookie()).toBe('jiancha_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict')
  })

  it('is read back from a Cookie header among others, as is the device token', () => {
    expect(sessionToken(`theme=dark; jiancha_session=${token}; lang=zh`)).toBe(token)
    expect(deviceToken(`jiancha_device=${token}; jiancha_session=x`)).toBe(token)
    expect(sessionToken('theme=dark')).toBeNull()
    expect(sessionToken(undefined)).toBeNull()
  })
})

describe.each(openTestDbs())('sessions on $name', ({ open }) => {
  let db: Db
  let now = T0
  let sessions: Sessions
  const audits: LoginAudit[] = []
  beforeAll(async () => {
    db = await open()
    sessions = new Sessions(db, { now: () => now, audit: async (e) => void audits.push(e), scrypt: FAST })
    await createUser(db, { username: 'wang', password: PW, role: 'inspector' }, FAST)
    await createUser(db, { username: 'li', password: PW, role: 'leader' }, FAST)
  })
  afterAll(() => db?.close())
  beforeEach(async () => {
    now += 24 * 3_600_000
    await db.query('DELETE FROM login_attempts')
    await db.query('DELETE FROM known_devices')
  })

  const signIn = async (user: string, pw: string, ip = '10.0.0.1', device: string | null = null): Promise<LoginResult> => sessions.login(user, pw, ip, device)

  it('signs in with the right password and stores only the sha256 of the token', async () => {
    const r = await signIn('Wang', PW)
    if (!r.ok) throw new Error(`sign-in failed: ${r.reason}`)
    expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(r.user).toMatchObject({ username: 'wang', role: 'inspector' })
    expect(r.user).not.toHaveProperty('passwordHash')
    const rows = await db.query<{ token_hash: string }>('SELECT token_hash FROM sessions')
    expect(rows.rows.map((x) => x.token_hash)).toContain(createHash('sha256').update(r.token).digest('hex'))
    expect(rows.rows.map((x) => x.token_hash)).not.toContain(r.token)
    expect((await sessions.authenticate({ headers: { cookie: `jiancha_session=${r.token}` } }))?.username).toBe('wang')
    expect(await sessions.authenticate({ headers: {} })).toBeNull()
    expect(await sessions.userOf('B'.repeat(43))).toBeNull()
  })

  it('answers an unknown user, a wrong password and a disabled account alike', async () => {
    await createUser(db, { username: 'gone', password: PW, role: 'admin' }, FAST)
    await db.query(`UPDATE users SET disabled = true WHERE username = 'gone'`)
    expect(await signIn('nobody', PW)).toEqual({ ok: false, reason: 'invalid' })
    expect(await signIn('wang', 'not the password')).toEqual({ ok: false, reason: 'invalid' })
    expect(await signIn('gone', PW)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('records sign-ins and failed ones through the audit hook, but not refused attempts', async () => {
    audits.length = 0
    await signIn('Wang', PW, '10.7.0.1')
    await signIn('wang', 'wrong', '10.7.0.2')
    for (let i = 0; i < 5; i++) await signIn('ghost\u0000x', 'guess', '10.7.0.3')
    expect(audits).toEqual([
      { actor: 'wang', action: 'user.login', subject: 'user:wang', detail: { ip: '10.7.0.1' } },
      { actor: 'wang', action: 'user.login_failed', subject: 'user:wang', detail: { ip: '10.7.0.2' } },
      ...Array.from({ length: 5 }, () => ({ actor: 'ghost?x', action: 'user.login_failed', subject: 'user:ghost?x', detail: { ip: '10.7.0.3' } })),
    ])
    expect(await signIn('ghost\u0000x', 'guess', '10.7.0.3')).toMatchObject({ reason: 'limited' })
    expect(audits).toHaveLength(7)
  })

  it('takes about as long for an unknown user as for a wrong password', async () => {
    // At production's cost: a skipped verify is then a hundred times faster.
    const real = new Sessions(db, { now: () => now })
    await createUser(db, { username: 'wang-real', password: PW, role: 'inspector' })
    const time = async (user: string) => {
      const t = performance.now()
      await real.login(user, 'not the password', `10.9.9.${user.length}`)
      return performance.now() - t
    }
    await time('wang-real') // warm the dummy hash
    const wrong = Math.min(await time('wang-real'), await time('wang-real'))
    const unknown = Math.min(await time('nobody-here'), await time('nobody-here'))
    // Both run one scrypt (~0.1 s); a skipped verify would be a hundred times faster.
    expect(unknown).toBeGreaterThan(wrong * 0.3)
  })

  it('slows a guesser at one address with doubling waits, even for the right password then', async () => {
    for (let i = 0; i < 5; i++) expect(await signIn('wang', `wrong ${i}`, '10.1.0.1')).toEqual({ ok: false, reason: 'invalid' })
    expect(await signIn('wang', PW, '10.1.0.1')).toEqual({ ok: false, reason: 'limited', retryAfterS: FIRST_WAIT_MS / 1000 })
    // Refused attempts do not push the wait out.
    now += FIRST_WAIT_MS / 2
    expect(await signIn('wang', PW, '10.1.0.1')).toEqual({ ok: false, reason: 'limited', retryAfterS: FIRST_WAIT_MS / 2000 })
    now += FIRST_WAIT_MS / 2
    expect(await signIn('wang', 'wrong again', '10.1.0.1')).toEqual({ ok: false, reason: 'invalid' })
    expect(await signIn('wang', PW, '10.1.0.1')).toEqual({ ok: false, reason: 'limited', retryAfterS: (2 * FIRST_WAIT_MS) / 1000 })
    now += 2 * FIRST_WAIT_MS
    expect((await signIn('wang', PW, '10.1.0.1')).ok).toBe(true)
  })

  it('does not lock the real user out from another address: five wrong passwords elsewhere change nothing', async () => {
    // Before: five failures for a username, from anywhere, gave the right password 429 for 15 minutes.
    for (let i = 0; i < 5; i++) await signIn('wang', `wrong ${i}`, `203.0.113.${i}`)
    expect((await signIn('wang', PW, '10.2.0.1')).ok).toBe(true)
    expect((await signIn('li', PW, '203.0.113.1')).ok).toBe(true)
  })

  it('slows guessing of one username spread over many addresses, but never from the user\'s own device', async () => {
    const first = await signIn('wang', PW, '10.2.0.1')
    if (!first.ok) throw new Error('sign-in failed')
    for (let i = 0; i < 20; i++) await signIn('wang', `wrong ${i}`, `203.0.113.${i}`)
    // A browser never seen before now waits, wherever it is.
    expect(await signIn('wang', PW, '198.51.100.9')).toMatchObject({ ok: false, reason: 'limited' })
    // The device wang signed in on before is still let in, and keeps its token.
    expect(await signIn('wang', PW, '10.2.0.1', first.device)).toMatchObject({ ok: true, device: first.device })
    // Somebody else's device token is no device of wang's.
    const li = await signIn('li', PW, '10.2.0.2')
    if (!li.ok) throw new Error('sign-in failed')
    expect(await signIn('wang', PW, '10.2.0.2', li.device)).toMatchObject({ ok: false, reason: 'limited' })
  })

  it('limits an unknown username just like a known one', async () => {
    for (let i = 0; i < 5; i++) await signIn('ghost', 'guess', '10.3.0.1')
    expect(await signIn('ghost', 'guess', '10.3.0.1')).toMatchObject({ ok: false, reason: 'limited' })
  })

  it('clears a username\'s failures at an address on success', async () => {
    for (let i = 0; i < 4; i++) await signIn('wang', 'wrong')
    expect((await signIn('wang', PW)).ok).toBe(true)
    for (let i = 0; i < 5; i++) expect(await signIn('wang', 'wrong')).toEqual({ ok: false, reason: 'invalid' })
    expect(await signIn('wang', PW)).toMatchObject({ reason: 'limited' })
  })

  it('does not lock out an office behind one address: twenty failures there leave the others alone', async () => {
    // Before: twenty failures from one address gave everyone behind it 429 for 15 minutes.
    for (let i = 0; i < 20; i++) expect(await signIn(`user${i % 4}`, 'guess', '192.0.2.7')).toEqual({ ok: false, reason: 'invalid' })
    expect((await signIn('wang', PW, '192.0.2.7')).ok).toBe(true)
    // Fifty are a flood: a browser new there waits, a known device does not.
    const known = await signIn('li', PW, '192.0.2.7')
    if (!known.ok) throw new Error('sign-in failed')
    for (let i = 0; i < 40; i++) await signIn(`spray${i}`, 'guess', '192.0.2.7')
    expect(await signIn('wang', PW, '192.0.2.7')).toMatchObject({ ok: false, reason: 'limited' })
    expect((await signIn('li', PW, '192.0.2.7', known.device)).ok).toBe(true)
    now += WINDOW_MS + MAX_WAIT_MS
    expect((await signIn('wang', PW, '192.0.2.7')).ok).toBe(true)
  })

  it('forgets a user\'s devices when the password is reset', async () => {
    const r = await signIn('li', PW, '10.4.0.1')
    if (!r.ok) throw new Error('sign-in failed')
    const { endSessionsOf } = await import('./sessions.ts')
    await endSessionsOf(db, r.user.id)
    expect((await db.query('SELECT 1 FROM known_devices WHERE user_id = $1', [r.user.id])).rowCount).toBe(0)
  })

  it('does not count successful sign-ins against the address (an office behind one NAT)', async () => {
    for (let i = 0; i < 25; i++) expect((await signIn(i % 2 ? 'wang' : 'li', PW, '198.51.100.1')).ok).toBe(true)
  })

  it('slides the session 8 hours from its last use, and ends it then', async () => {
    const r = await signIn('li', PW)
    if (!r.ok) throw new Error('sign-in failed')
    now += SESSION_TTL_MS - 60_000
    expect(await sessions.userOf(r.token)).not.toBeNull()
    now += SESSION_TTL_MS - 60_000
    // Checks that must not count as use (a socket's background check) do not slide it.
    expect(await sessions.userOf(r.token, { slide: false })).not.toBeNull()
    now += 60_000
    expect(await sessions.userOf(r.token)).toBeNull()
  })

  it('ends a session at logout and when the account is disabled', async () => {
    const a = await signIn('wang', PW)
    const b = await signIn('wang', PW)
    if (!a.ok || !b.ok) throw new Error('sign-in failed')
    await sessions.logout(a.token)
    expect(await sessions.userOf(a.token)).toBeNull()
    expect(await sessions.userOf(b.token)).not.toBeNull()
    await db.query(`UPDATE users SET disabled = true WHERE username = 'wang'`)
    expect(await sessions.userOf(b.token)).toBeNull()
    await db.query(`UPDATE users SET disabled = false WHERE username = 'wang'`)
  })

  it('re-hashes a password stored with older parameters on sign-in', async () => {
    const u = await createUser(db, { username: 'old-timer', password: PW, role: 'admin' }, FAST)
    await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [u.id, await hashPassword(PW, { N: 2 ** 12, r: 8, p: 1 })])
    expect((await signIn('old-timer', PW)).ok).toBe(true)
    expect((await findUser(db, 'old-timer'))?.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/) // the cost in force (FAST here)
  })
})
