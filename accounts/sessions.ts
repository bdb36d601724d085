/**
 * Sessions: signing in with a username and password, the session cookie, and
 * rate limiting of failed sign-ins. The token lives only in the browser's HttpOnly
 * cookie; the database keeps its sha256, so a leaked table signs nobody in. This
 * module owns the tables `sessions` and `login_attempts`; the accounts themselves are
 * read through users.ts.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Queryable } from '../common/db/index.ts'
import { dummyHash, hashPassword, SCRYPT_PARAMS, type ScryptParams, verifyPassword } from './password.ts'
import { keysFor, type ThrottleKey, waitOf, WINDOW_MS } from './throttle.ts'
import { findUser, normalizeUsername, setPasswordHash, type User, userById } from './users.ts'

/** SESSION_COOKIE is the name of the session cookie. */
export const SESSION_COOKIE = 'jiancha_session'
/** SESSION_TTL_MS is how long a session lives after its last use (sliding). */
export const SESSION_TTL_MS = 8 * 3_600_000
/** DEVICE_COOKIE names the cookie that marks a browser its user signed in on before. */
export const DEVICE_COOKIE = 'jiancha_device'
/** DEVICE_TTL_MS is how long a device stays known after its last sign-in. */
export const DEVICE_TTL_MS = 365 * 86_400_000
/** LOGIN_FAILED is the one message for an unknown user, a wrong password and a disabled account. */
export const LOGIN_FAILED = 'wrong username or password'

// A session's expiry is pushed forward at most once a minute, not on every request.
const SLIDE_EVERY_MS = 60_000
const TOKEN = /^[A-Za-z0-9_-]{43}$/

/** SessionOptions configures Sessions. */
export interface SessionOptions {
  /**
   * Secure cookie flag, on by default. Turn it off only for plain-http development
   * on another host than localhost: browsers accept Secure cookies on http://localhost.
   */
  secureCookies?: boolean
  now?: () => number
  /** records sign-ins and failed ones in the audit trail; a rejection fails the sign-in */
  audit?: (e: LoginAudit) => Promise<void>
  /** the password hashing cost in force (SCRYPT_PARAMS); tests of many sign-ins lower it */
  scrypt?: ScryptParams
}

/** LoginAudit is the audit entry of a sign-in (refused attempts over the rate limit are not recorded). */
export interface LoginAudit {
  actor: string
  action: 'user.login' | 'user.login_failed'
  subject: string
  detail: { ip: string }
}

/** LoginResult is a session (and the device token to keep in the browser), or why there is none: 401 `invalid` or 429 `limited`. */
export type LoginResult =
  | { ok: true; token: string; device: string; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'limited'; retryAfterS: number }

/** Sessions signs users in and out and tells who a request comes from. */
export class Sessions {
  private readonly now: () => number
  private readonly secure: boolean
  private readonly audit: NonNullable<SessionOptions['audit']>
  private readonly scrypt: ScryptParams

  constructor(private readonly db: Queryable, opts: SessionOptions = {}) {
    this.now = opts.now ?? Date.now
    this.secure = opts.secureCookies ?? true
    this.audit = opts.audit ?? (async () => {})
    this.scrypt = opts.scrypt ?? SCRYPT_PARAMS
  }

  /**
   * login checks a password and opens a session. Each attempt is first recorded as a
   * failure against its throttle keys (throttle.ts) and counted, then verified:
   * concurrent guesses cannot slip past the limits. `device` is the browser's device
   * token, if it has one: from a device its user signed in on before, strangers'
   * failures elsewhere do not count.
   */
  async login(username: string, password: string, ip: string, device: string | null = null): Promise<LoginResult> {
    const now = this.now()
    const name = normalizeUsername(username)
    // What was typed is stored (rate-limit key, audit): without control characters, which PostgreSQL text refuses (NUL).
    const typed = name.slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, '?')
    const address = (ip || 'unknown').slice(0, 100)
    const user = await findUser(this.db, typed)
    const known = user ? await this.knownDevice(device, user.id, now) : null
    const keys = keysFor(known !== null).map((k) => [k, keyOf(k, typed, address, known)] as const)
    const reserved = await this.db.query<{ id: string }>(
      `INSERT INTO login_attempts (key, at) SELECT k, $2 FROM unnest($1::text[]) AS k RETURNING id`,
      [keys.map(([, k]) => k), new Date(now)],
    )
    const ids = reserved.rows.map((r) => String(r.id))
    const retryAfterS = await this.retryAfter(keys, ids, now)
    if (retryAfterS > 0) {
      // A refused attempt is not a guess: it must not push the wait further out.
      await this.db.query('DELETE FROM login_attempts WHERE id = ANY($1::bigint[])', [ids])
      return { ok: false, reason: 'limited', retryAfterS }
    }
    // Unknown and disabled users are checked against a dummy hash so they take as long.
    const verdict = await verifyPassword(password, user && !user.disabled ? user.passwordHash : await dummyHash(this.scrypt), this.scrypt)
    if (!user || user.disabled || !verdict.ok) {
      await this.db.query('DELETE FROM login_attempts WHERE at <= $1', [new Date(now - WINDOW_MS)])
      await this.audit({ actor: typed, action: 'user.login_failed', subject: `user:${typed}`, detail: { ip } })
      return { ok: false, reason: 'invalid' }
    }
    await this.audit({ actor: user.username, action: 'user.login', subject: `user:${user.username}`, detail: { ip } })
    // Success clears this user's failures from this address or device, and this attempt;
    // not the username's count elsewhere, which a spread-out guesser would otherwise reset.
    const pair = keys.filter(([k]) => k === 'user+ip' || k === 'user+device').map(([, k]) => k)
    await this.db.query('DELETE FROM login_attempts WHERE key = ANY($1::text[]) OR id = ANY($2::bigint[])', [pair, ids])
    if (verdict.rehash) await setPasswordHash(this.db, user.id, await hashPassword(password, this.scrypt))
    const { passwordHash: _, ...plain } = user
    return { ok: true, token: await this.openSession(user.id, now), device: known ?? (await this.newDevice(user.id, now)), user: plain }
  }

  /** knownDevice returns the device token when it names a live device of this user, else null. */
  private async knownDevice(token: string | null, userId: number, now: number): Promise<string | null> {
    if (!token || !TOKEN.test(token)) return null
    const r = await this.db.query('UPDATE known_devices SET last_seen_at = $3 WHERE token_hash = $1 AND user_id = $2 AND last_seen_at > $4 RETURNING 1', [
      tokenHash(token), userId, new Date(now), new Date(now - DEVICE_TTL_MS),
    ])
    return r.rowCount ? token : null
  }

  /** newDevice records the browser as a device of the user (and sweeps forgotten ones) and returns its token. */
  private async newDevice(userId: number, now: number): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    await this.db.query('DELETE FROM known_devices WHERE last_seen_at <= $1', [new Date(now - DEVICE_TTL_MS)])
    await this.db.query('INSERT INTO known_devices (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)', [tokenHash(token), userId, new Date(now)])
    return token
  }

  /** openSession stores a new session (and sweeps expired ones) and returns its token. */
  private async openSession(userId: number, now: number): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    await this.db.query('DELETE FROM sessions WHERE expires_at <= $1', [new Date(now)])
    await this.db.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)', [
      tokenHash(token), userId, new Date(now), new Date(now + SESSION_TTL_MS),
    ])
    return token
  }

  /** logout ends the session of a token; an unknown or missing token is fine. */
  async logout(token: string | null): Promise<void> {
    if (token && TOKEN.test(token)) await this.db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)])
  }

  /** authenticate returns the signed-in user of a request (from its cookie), or null. */
  authenticate(req: Pick<IncomingMessage, 'headers'>): Promise<User | null> {
    return this.userOf(sessionToken(req.headers.cookie))
  }

  /**
   * userOf returns the user of a live session token, or null. A use slides the expiry
   * unless `slide` is false (background checks must not keep an idle session alive).
   */
  async userOf(token: string | null, { slide = true }: { slide?: boolean } = {}): Promise<User | null> {
    if (!token || !TOKEN.test(token)) return null
    const now = this.now()
    const hash = tokenHash(token)
    const r = await this.db.query<{ user_id: string | number; last_seen_at: Date }>(
      'SELECT user_id, last_seen_at FROM sessions WHERE token_hash = $1 AND expires_at > $2',
      [hash, new Date(now)],
    )
    const row = r.rows[0]
    if (!row) return null
    const user = await userById(this.db, Number(row.user_id))
    if (!user || user.disabled) return null
    if (slide && now - row.last_seen_at.getTime() >= SLIDE_EVERY_MS) {
      await this.db.query('UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1', [
        hash, new Date(now), new Date(now + SESSION_TTL_MS),
      ])
    }
    return user
  }

  /** cookie is the Set-Cookie value carrying a token; sent again on each use, so it slides too. */
  cookie(token: string): string {
    return `${SESSION_COOKIE}=${token}; Max-Age=${SESSION_TTL_MS / 1000}; Path=/; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`
  }

  /** clearCookie is the Set-Cookie value that removes the session cookie. */
  clearCookie(): string {
    return `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`
  }

  /** retryAfter is 0 when every key is free, else the seconds until all are (throttle.ts). */
  private async retryAfter(keys: ReadonlyArray<readonly [ThrottleKey, string]>, reserved: string[], now: number): Promise<number> {
    const r = await this.db.query<{ key: string; n: string | number; newest: Date }>(
      `SELECT key, count(*) AS n, max(at) AS newest FROM login_attempts
       WHERE key = ANY($1::text[]) AND at > $2 AND NOT (id = ANY($3::bigint[])) GROUP BY key`,
      [keys.map(([, k]) => k), new Date(now - WINDOW_MS), reserved],
    )
    let wait = 0
    for (const [kind, key] of keys) {
      const row = r.rows.find((x) => x.key === key)
      if (row) wait = Math.max(wait, waitOf(kind, { count: Number(row.n), newest: row.newest.getTime() }, now))
    }
    return wait > 0 ? Math.ceil(wait / 1000) : 0
  }

  /** deviceCookie is the Set-Cookie value that keeps a device token in the browser. */
  deviceCookie(token: string): string {
    return `${DEVICE_COOKIE}=${token}; Max-Age=${DEVICE_TTL_MS / 1000}; Path=/api/v1/login; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`
  }
}

/** keyOf is the login_attempts key of a throttle key; the device is named by its token's hash. */
function keyOf(kind: ThrottleKey, user: string, ip: string, device: string | null): string {
  switch (kind) {
    case 'user+ip':
      return `user+ip:${user}|${ip}`
    case 'user+device':
      return `user+device:${user}|${tokenHash(device ?? '')}`
    case 'user':
      return `user:${user}`
    case 'ip':
      return `ip:${ip}`
  }
}

/**
 * endSessionsOf deletes every session of a user, so each one ends at once (a disabled
 * account, a reset password), and forgets the user's devices: after a reset, no browser
 * keeps the standing of a known device.
 */
export async function endSessionsOf(db: Queryable, userId: number): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId])
  await db.query('DELETE FROM known_devices WHERE user_id = $1', [userId])
}

/** deviceToken reads the device token from a Cookie header, or null. */
export function deviceToken(cookieHeader: string | undefined): string | null {
  return cookieValue(cookieHeader, DEVICE_COOKIE)
}

/** sessionToken reads the session token from a Cookie header, or null. */
export function sessionToken(cookieHeader: string | undefined): string | null {
  return cookieValue(cookieHeader, SESSION_COOKIE)
}

function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim() || null
  }
  return null
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
