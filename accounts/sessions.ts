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
import { dummyHash, hashPassword, verifyPassword } from './password.ts'
import { findUser, normalizeUsername, setPasswordHash, type User, userById } from './users.ts'

/** SESSION_COOKIE is the name of the session cookie. */
export const SESSION_COOKIE = 'jiancha_session'
/** SESSION_TTL_MS is how long a session lives after its last use (sliding). */
export const SESSION_TTL_MS = 8 * 3_600_000
/** LOGIN_WINDOW_MS is the window over which failed sign-ins are counted. */
export const LOGIN_WINDOW_MS = 15 * 60_000
/** MAX_FAILS_PER_USER and MAX_FAILS_PER_IP are the failed sign-ins allowed per window. */
export const MAX_FAILS_PER_USER = 5
export const MAX_FAILS_PER_IP = 20
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
}

/** LoginAudit is the audit entry of a sign-in (refused attempts over the rate limit are not recorded). */
export interface LoginAudit {
  actor: string
  action: 'user.login' | 'user.login_failed'
  subject: string
  detail: { ip: string }
}

/** LoginResult is a session, or why there is none: 401 `invalid` or 429 `limited`. */
export type LoginResult =
  | { ok: true; token: string; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'limited'; retryAfterS: number }

/** Sessions signs users in and out and tells who a request comes from. */
export class Sessions {
  private readonly now: () => number
  private readonly secure: boolean
  private readonly audit: NonNullable<SessionOptions['audit']>

  constructor(private readonly db: Queryable, opts: SessionOptions = {}) {
    this.now = opts.now ?? Date.now
    this.secure = opts.secureCookies ?? true
    this.audit = opts.audit ?? (async () => {})
  }

  /**
   * login checks a password and opens a session. Each attempt is first recorded as a
   * failure and counted, then verified: concurrent guesses cannot slip past the limit.
   */
  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const now = this.now()
    const name = normalizeUsername(username)
    // What was typed is stored (rate-limit key, audit): without control characters, which PostgreSQL text refuses (NUL).
    const typed = name.slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, '?')
    const keys = [`user:${typed}`, `ip:${(ip || 'unknown').slice(0, 100)}`]
    const reserved = await this.db.query<{ id: string }>(
      'INSERT INTO login_attempts (key, at) VALUES ($1, $3), ($2, $3) RETURNING id',
      [keys[0], keys[1], new Date(now)],
    )
    const ids = reserved.rows.map((r) => String(r.id))
    const retryAfterS = await this.retryAfter(keys, ids, now)
    if (retryAfterS > 0) {
      // A refused attempt is not a guess: it must not push the lockout further out.
      await this.db.query('DELETE FROM login_attempts WHERE id = ANY($1::bigint[])', [ids])
      return { ok: false, reason: 'limited', retryAfterS }
    }
    const user = await findUser(this.db, typed)
    // Unknown and disabled users are checked against a dummy hash so they take as long.
    const verdict = await verifyPassword(password, user && !user.disabled ? user.passwordHash : await dummyHash())
    if (!user || user.disabled || !verdict.ok) {
      await this.db.query('DELETE FROM login_attempts WHERE at <= $1', [new Date(now - LOGIN_WINDOW_MS)])
      await this.audit({ actor: typed, action: 'user.login_failed', subject: `user:${typed}`, detail: { ip } })
      return { ok: false, reason: 'invalid' }
    }
    await this.audit({ actor: user.username, action: 'user.login', subject: `user:${user.username}`, detail: { ip } })
    // Success clears the username's failures, but only this attempt of the address's.
    await this.db.query('DELETE FROM login_attempts WHERE key = $1 OR id = $2', [keys[0], ids[1]])
    if (verdict.rehash) await setPasswordHash(this.db, user.id, await hashPassword(password))
    const { passwordHash: _, ...plain } = user
    return { ok: true, token: await this.openSession(user.id, now), user: plain }
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

  /** retryAfter is 0 when both keys are within their limits, else the seconds until they are. */
  private async retryAfter(keys: string[], reserved: string[], now: number): Promise<number> {
    const since = new Date(now - LOGIN_WINDOW_MS)
    const counts = await this.db.query<{ key: string; n: string | number }>(
      'SELECT key, count(*) AS n FROM login_attempts WHERE key = ANY($1::text[]) AND at > $2 GROUP BY key',
      [keys, since],
    )
    let wait = 0
    for (const [key, limit] of [[keys[0]!, MAX_FAILS_PER_USER], [keys[1]!, MAX_FAILS_PER_IP]] as const) {
      const n = Number(counts.rows.find((c) => c.key === key)?.n ?? 0)
      if (n <= limit) continue
      // The key is free again when its limit-th newest earlier failure leaves the window.
      const r = await this.db.query<{ at: Date }>(
        'SELECT at FROM login_attempts WHERE key = $1 AND at > $2 AND NOT (id = ANY($3::bigint[])) ORDER BY at DESC OFFSET $4 LIMIT 1',
        [key, since, reserved, limit - 1],
      )
      const at = r.rows[0]?.at.getTime() ?? now
      wait = Math.max(wait, Math.ceil((at + LOGIN_WINDOW_MS - now) / 1000), 1)
    }
    return wait
  }
}

/** endSessionsOf deletes every session of a user, so each one ends at once (a disabled account, a reset password). */
export async function endSessionsOf(db: Queryable, userId: number): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId])
}

/** sessionToken reads the session token from a Cookie header, or null. */
export function sessionToken(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === SESSION_COOKIE) return part.slice(i + 1).trim() || null
  }
  return null
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
