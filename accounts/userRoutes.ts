/**
 * The administrators' account routes (users.manage): list accounts, add one, disable
 * or enable one with a reason, and reset a password. Each change and its audit row
 * commit in one transaction, or neither does. Bodies are JSON only, so a cookie-borne
 * request cannot be forged by a cross-site form. No password reaches a log line or
 * the audit trail.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AuditAction } from '../common/audit/index.ts'
import { type JsonBody, readJson, sendJson } from '../common/http/index.ts'
import type { Db, Queryable } from '../common/db/index.ts'
import { can } from './access.ts'
import { allowMethod, withSession } from './gate.ts'
import { sessionToken, type Sessions } from './sessions.ts'
import {
  createUser, listUsers, MAX_REASON, normalizeUsername, resetPassword, setDisabled, UnknownUserError, UserError, UsernameTakenError, type User,
} from './users.ts'

/** UserAuditEntry is the audit entry of one account change (never with a password). */
export interface UserAuditEntry {
  actor: string
  action: Extract<AuditAction, 'user.created' | 'user.disabled' | 'user.enabled' | 'user.password_reset'>
  subject: string
  detail: Record<string, unknown>
}

/** UserAudit appends an account change's entry to the audit trail inside tx, the change's own transaction. */
export type UserAudit = (e: UserAuditEntry, tx: Queryable) => Promise<void>

/** UserRoutesDeps is what the routes need; the platform passes the consoles' audit writer. */
export interface UserRoutesDeps {
  db: Db
  sessions: Sessions
  audit: UserAudit
  /** formats instants in the platform zone; ISO 8601 UTC by default */
  format?: (t: number) => string
  log?: (m: string) => void
}

/** UserHandler answers a request and resolves true, or resolves false for a path it does not own. */
export type UserHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

/** AccountView is an account as the routes show it: never with its password hash. */
export interface AccountView {
  username: string
  role: User['role']
  dept: string | null
  canUnmask: boolean
  disabled: boolean
  createdAt: string
}

/** MAX_USER_BODY is the largest JSON body read (a password is at most 1024 characters). */
export const MAX_USER_BODY = 8 * 1024

interface Ctx {
  db: Db
  sessions: Sessions
  audit: UserAudit
  format: (t: number) => string
  log: (m: string) => void
}

type Body = JsonBody

/** userRoutes builds the handler of /api/v1/users; it rejects only on database errors. */
export function userRoutes(deps: UserRoutesDeps): UserHandler {
  const ctx: Ctx = {
    db: deps.db, sessions: deps.sessions, audit: deps.audit,
    format: deps.format ?? ((t) => new Date(t).toISOString()), log: deps.log ?? (() => {}),
  }
  return async (req, res) => {
    const seg = segments(new URL(req.url ?? '/', 'http://jiancha.invalid').pathname)
    if (!seg || seg[0] !== 'api' || seg[1] !== 'v1' || seg[2] !== 'users') return false
    const [name, op, ...more] = seg.slice(3)
    if (name === undefined) {
      if (req.method === 'POST') return asAdmin(ctx, req, res, 'POST', (u) => withBody(req, res, (b) => addAccount(ctx, u, b, res)))
      return asAdmin(ctx, req, res, 'GET', () => listAccounts(ctx, res))
    }
    if (more.length) return false
    if (op === 'disable' || op === 'enable') {
      return asAdmin(ctx, req, res, 'POST', (u) => withBody(req, res, (b) => changeState(ctx, u, name, op === 'disable', b, res)))
    }
    if (op === 'password') return asAdmin(ctx, req, res, 'POST', (u) => withBody(req, res, (b) => setPassword(ctx, u, name, b, req, res)))
    return false
  }
}

/** listAccounts answers GET /api/v1/users: every account by username. */
async function listAccounts(ctx: Ctx, res: ServerResponse): Promise<void> {
  return sendJson(res, 200, { users: (await listUsers(ctx.db)).map((u) => view(ctx, u)) })
}

/** addAccount answers POST /api/v1/users {username, password, role, dept?, canUnmask?}: 201, 400 naming the field, 409 when taken. */
async function addAccount(ctx: Ctx, admin: User, b: Body, res: ServerResponse): Promise<void> {
  for (const field of ['username', 'password', 'role'] as const) {
    if (typeof b[field] !== 'string') return sendJson(res, 400, { error: `${field} must be a string`, field })
  }
  if (b.dept !== undefined && b.dept !== null && typeof b.dept !== 'string') return sendJson(res, 400, { error: 'dept must be a string', field: 'dept' })
  if (b.canUnmask !== undefined && typeof b.canUnmask !== 'boolean') return sendJson(res, 400, { error: 'canUnmask must be true or false', field: 'canUnmask' })
  const input = { username: b.username as string, password: b.password as string, role: b.role as string, dept: b.dept as string | null | undefined, canUnmask: b.canUnmask === true }
  try {
    const u = await ctx.db.transaction(async (tx) => {
      const created = await createUser(tx, input)
      await ctx.audit({
        actor: admin.username, action: 'user.created', subject: `user:${created.username}`,
        detail: { role: created.role, dept: created.dept, canUnmask: created.canUnmask, via: 'console' },
      }, tx)
      return created
    })
    ctx.log(`dashboard: account ${u.username} (${u.role}) added by ${admin.username}`)
    return sendJson(res, 201, { user: view(ctx, u) })
  } catch (e) {
    if (e instanceof UsernameTakenError) return sendJson(res, 409, { error: e.message, field: 'username' })
    if (e instanceof UserError) return sendJson(res, 400, { error: e.message, field: e.field })
    throw e
  }
}

/** changeState answers POST /api/v1/users/:username/{disable,enable} {reason}: the account, or 400/404. */
async function changeState(ctx: Ctx, admin: User, name: string, disabled: boolean, b: Body, res: ServerResponse): Promise<void> {
  const reason = typeof b.reason === 'string' ? b.reason.trim() : ''
  if (!reason || [...reason].length > MAX_REASON) return sendJson(res, 400, { error: `a reason (1–${MAX_REASON} characters) is required`, field: 'reason' })
  // Whoever disabled the last administrator could not undo it from the console.
  if (disabled && normalizeUsername(name) === admin.username) {
    return sendJson(res, 400, { error: 'an administrator may not disable their own account', field: 'username' })
  }
  const u = await unlessUnknown(res, () =>
    ctx.db.transaction(async (tx) => {
      const changed = await setDisabled(tx, name, disabled)
      await ctx.audit({
        actor: admin.username, action: disabled ? 'user.disabled' : 'user.enabled', subject: `user:${changed.username}`, detail: { reason, via: 'console' },
      }, tx)
      return changed
    }),
  )
  if (!u) return
  ctx.log(`dashboard: account ${u.username} ${disabled ? 'disabled' : 'enabled'} by ${admin.username}: ${reason}`)
  return sendJson(res, 200, { user: view(ctx, u) })
}

/** setPassword answers POST /api/v1/users/:username/password {password}: 204, 400 or 404. */
async function setPassword(ctx: Ctx, admin: User, name: string, b: Body, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (typeof b.password !== 'string') return sendJson(res, 400, { error: 'password must be a string', field: 'password' })
  const pw = b.password
  let u: User | null
  try {
    u = await unlessUnknown(res, () =>
      ctx.db.transaction(async (tx) => {
        const changed = await resetPassword(tx, name, pw)
        await ctx.audit({ actor: admin.username, action: 'user.password_reset', subject: `user:${changed.username}`, detail: { via: 'console' } }, tx)
        return changed
      }),
    )
  } catch (e) {
    if (e instanceof UserError) return sendJson(res, 400, { error: e.message, field: e.field })
    throw e
  }
  if (!u) return
  ctx.log(`dashboard: password of ${u.username} reset by ${admin.username}`)
  // Resetting one's own password ends this session too: let the browser forget it.
  if (u.username === admin.username && sessionToken(req.headers.cookie)) res.setHeader('set-cookie', ctx.sessions.clearCookie())
  res.writeHead(204, { 'cache-control': 'no-store' })
  res.end()
}

/** unlessUnknown runs fn, answering 404 (and giving null) when it names an account that does not exist. */
async function unlessUnknown<T>(res: ServerResponse, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn()
  } catch (e) {
    if (!(e instanceof UnknownUserError)) throw e
    sendJson(res, 404, { error: e.message })
    return null
  }
}

function view(ctx: Ctx, u: User): AccountView {
  return { username: u.username, role: u.role, dept: u.dept, canUnmask: u.canUnmask, disabled: u.disabled, createdAt: ctx.format(u.createdAt.getTime()) }
}

/**
 * asAdmin checks the method, then runs fn for a signed-in user holding users.manage,
 * refreshing the sliding cookie: 405 for another method, 401 without a session, 403 without the permission.
 */
async function asAdmin(ctx: Ctx, req: IncomingMessage, res: ServerResponse, method: 'GET' | 'POST', fn: (u: User) => Promise<void>): Promise<true> {
  if (!allowMethod(req, res, method, method === 'GET' ? 'GET, HEAD, POST' : 'POST')) return true
  await withSession(ctx.sessions, req, res, async (user) => {
    if (!can(user, 'users.manage')) return sendJson(res, 403, { error: `a ${user.role} may not manage accounts` })
    return fn(user)
  })
  return true
}

/**
 * withBody reads a JSON object body and runs fn on it, or answers 415/413/400. JSON only:
 * a cross-site form cannot send it without a CORS preflight, which is never granted.
 */
async function withBody(req: IncomingMessage, res: ServerResponse, fn: (b: Body) => Promise<void>): Promise<void> {
  const body = await readJson(req, res, { maxBytes: MAX_USER_BODY })
  if (body) return fn(body)
}

function segments(path: string): string[] | null {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return null
  }
}
