/**
 * The accounts' HTTP routes: signing in and out, and the scoped, masked reads of alerts
 * and cases. A card or case outside the reader's scope answers 404, exactly like one
 * that does not exist, so keys cannot be probed. Personal data leaves masked, except
 * through the unmask route, which needs the permission and a reason and is audited.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { alertByKey } from '../alerts/index.ts'
import { caseKey, KINDS, type Kind, type Me, type UserView } from '../common/contract/index.ts'
import type { Queryable } from '../common/db/index.ts'
import { loadCase } from '../rules/index.ts'
import { readBody, sendJson } from '../common/http/index.ts'
import { alertScope, can, permissions } from './access.ts'
import { listAlerts, parseCursor, type AlertFilter } from '../dashboard/index.ts'
import { maskPersonal } from '../common/privacy/index.ts'
import { allowMethod, withSession } from './gate.ts'
import { LOGIN_FAILED, sessionToken, type Sessions } from './sessions.ts'
import type { User } from './users.ts'

/** UnmaskAudit is the audit entry of one unmasking (contract §4). */
export interface UnmaskAudit {
  actor: string
  action: 'data.unmasked'
  subject: string
  detail: { reason: string }
}

/** AccountRoutesDeps is what the routes need; the platform wires `audit` to the audit log. */
export interface AccountRoutesDeps {
  db: Queryable
  sessions: Sessions
  /** formats instants in the platform zone, as the wall does */
  format: (t: number) => string
  /** the platform zone's IANA name, told to the browser with the session (Me.zone) */
  zone: string
  /** writes the audit entry; when it rejects, the clear data is not sent */
  audit: (e: UnmaskAudit) => Promise<void>
  /** the client address rate limits count by; default the socket's peer address */
  clientIp?: (req: IncomingMessage) => string
}

/** AccountHandler answers a request and resolves true, or resolves false for a path it does not own. */
export type AccountHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

/** MAX_BODY is the largest JSON body these routes read. */
export const MAX_BODY = 8 * 1024
/** MAX_LIMIT is the largest page of GET /api/v1/alerts; DEFAULT_LIMIT when none is asked. */
export const MAX_LIMIT = 500
export const DEFAULT_LIMIT = 100
const MAX_REASON = 500

/** accountRoutes builds the handler of /api/v1/{login,logout,me,alerts,cases}; it rejects only on database errors. */
export function accountRoutes(deps: AccountRoutesDeps): AccountHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://jiancha.invalid')
    const seg = segments(url.pathname)
    if (!seg || seg[0] !== 'api' || seg[1] !== 'v1') return false
    const [, , top, ...rest] = seg
    if (top === 'login' && !rest.length) return post(req, res, () => login(deps, req, res))
    if (top === 'logout' && !rest.length) return post(req, res, () => logout(deps, req, res))
    if (top === 'me' && !rest.length) return get(req, res, () => signedIn(deps, req, res, async (u) => sendJson(res, 200, me(deps, u))))
    if (top === 'alerts' && rest.length === 0) return get(req, res, () => signedIn(deps, req, res, (u) => alertList(deps, u, url, res)))
    if (top === 'alerts' && rest.length === 1) return get(req, res, () => signedIn(deps, req, res, (u) => oneAlert(deps, u, rest[0]!, res)))
    if (top === 'cases' && rest.length === 3 && rest[2] === 'events') {
      return get(req, res, () => signedIn(deps, req, res, (u) => caseEvents(deps, u, rest[0]!, rest[1]!, res)))
    }
    if (top === 'cases' && rest.length === 3 && rest[2] === 'unmask') {
      return post(req, res, () => signedIn(deps, req, res, (u) => unmask(deps, u, rest[0]!, rest[1]!, req, res)))
    }
    return false
  }
}

/** login answers POST /api/v1/login {username, password}: 200 + cookie, 401, 429 + Retry-After. */
async function login(deps: AccountRoutesDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, res)
  if (!body) return
  const { username, password } = body
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
    return sendJson(res, 400, { error: 'the body must be {"username": "…", "password": "…"}' })
  }
  const ip = deps.clientIp ? deps.clientIp(req) : (req.socket.remoteAddress ?? 'unknown')
  const r = await deps.sessions.login(username, password, ip)
  if (!r.ok && r.reason === 'limited') {
    res.setHeader('retry-after', String(r.retryAfterS))
    return sendJson(res, 429, { error: `too many failed sign-ins; try again in ${r.retryAfterS} s`, retryAfterS: r.retryAfterS })
  }
  if (!r.ok) return sendJson(res, 401, { error: LOGIN_FAILED })
  // A previous session in this browser ends: one cookie, one session.
  await deps.sessions.logout(sessionToken(req.headers.cookie))
  res.setHeader('set-cookie', deps.sessions.cookie(r.token))
  return sendJson(res, 200, me(deps, r.user))
}

/** logout answers POST /api/v1/logout: ends the session, if any, and clears the cookie. */
async function logout(deps: AccountRoutesDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  await deps.sessions.logout(sessionToken(req.headers.cookie))
  res.setHeader('set-cookie', deps.sessions.clearCookie())
  return sendJson(res, 200, { ok: true })
}

/** me is the session as GET /api/v1/me and a sign-in answer it. */
function me(deps: AccountRoutesDeps, user: User): Me {
  return { user: view(user), permissions: permissions(user), zone: deps.zone }
}

/** alertList answers GET /api/v1/alerts: 403 when a department user names another department. */
async function alertList(deps: AccountRoutesDeps, user: User, url: URL, res: ServerResponse): Promise<void> {
  if (!can(user, 'alerts.read', user.dept ? { dept: user.dept } : undefined)) return sendJson(res, 403, { error: 'not allowed to read alerts' })
  const f = parseFilter(url.searchParams)
  if (typeof f === 'string') return sendJson(res, 400, { error: f })
  const scope = alertScope(user)
  if ('dept' in scope && f.dept !== undefined && f.dept !== scope.dept) {
    return sendJson(res, 403, { error: 'a department user reads only its own department' })
  }
  return sendJson(res, 200, await listAlerts(deps.db, scope, f, deps.format))
}

/** oneAlert answers GET /api/v1/alerts/:key; outside the scope is 404, not 403. */
async function oneAlert(deps: AccountRoutesDeps, user: User, key: string, res: ServerResponse): Promise<void> {
  const a = await alertByKey(deps.db, key, deps.format)
  if (!a || !can(user, 'alerts.read', { dept: a.dept })) return sendJson(res, 404, { error: 'no such alert' })
  return sendJson(res, 200, a)
}

/** caseEvents answers GET /api/v1/cases/:kind/:caseId/events with personal data masked. */
async function caseEvents(deps: AccountRoutesDeps, user: User, kind: string, caseId: string, res: ServerResponse): Promise<void> {
  const c = await readableCase(deps, user, kind, caseId)
  if (!c) return sendJson(res, 404, { error: 'no such case' })
  return sendJson(res, 200, { ...c, masked: true, events: c.events.map((e) => ({ ...e, event: maskPersonal(e.event) })) })
}

/**
 * unmask answers POST /api/v1/cases/:kind/:caseId/unmask {reason}: the case's events in
 * clear, after the audit entry is written. 403 without the permission, 400 without a reason.
 */
async function unmask(deps: AccountRoutesDeps, user: User, kind: string, caseId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!can(user, 'personal.unmask')) return sendJson(res, 403, { error: 'unmasking personal data needs the unmask permission' })
  const body = await readJson(req, res)
  if (!body) return
  const reason = typeof body.reason === 'string' ? body.reason.trim() : ''
  if (!reason || [...reason].length > MAX_REASON) {
    return sendJson(res, 400, { error: `a reason (1–${MAX_REASON} characters) is required to unmask personal data`, field: 'reason' })
  }
  const c = await readableCase(deps, user, kind, caseId)
  if (!c) return sendJson(res, 404, { error: 'no such case' })
  await deps.audit({ actor: user.username, action: 'data.unmasked', subject: `case:${caseKey(c.kind, c.caseId)}`, detail: { reason } })
  return sendJson(res, 200, { ...c, masked: false })
}

interface CaseView {
  kind: Kind
  caseId: string
  dept: string
  events: Array<{ at: string; seq: number; event: unknown }>
}

/** readableCase loads a case the user may read; null when it is unknown or outside the scope. */
async function readableCase(deps: AccountRoutesDeps, user: User, kind: string, caseId: string): Promise<CaseView | null> {
  if (!KINDS.includes(kind as Kind)) return null
  const events = await loadCase(deps.db, kind as Kind, caseId)
  // A case belongs to the department of its latest event (a transfer moves it).
  const dept = events.at(-1)?.ev.dept
  if (dept === undefined || !can(user, 'alerts.read', { dept })) return null
  return { kind: kind as Kind, caseId, dept, events: events.map((e) => ({ at: deps.format(e.t), seq: e.seq, event: e.ev })) }
}

/** signedIn runs fn for the session's user, refreshing the sliding cookie; 401 without one. */
function signedIn(deps: AccountRoutesDeps, req: IncomingMessage, res: ServerResponse, fn: (u: User) => Promise<void>): Promise<void> {
  return withSession(deps.sessions, req, res, fn)
}

function view(u: User): UserView {
  return { username: u.username, role: u.role, dept: u.dept, canUnmask: u.canUnmask }
}

function parseFilter(q: URLSearchParams): AlertFilter | string {
  const f: AlertFilter = { limit: DEFAULT_LIMIT }
  const text = (name: string, max: number): string | undefined | Error => {
    const v = q.get(name)
    if (v === null || v === '') return undefined
    return v.length > max ? new Error(`${name} is at most ${max} characters`) : v
  }
  const dept = text('dept', 64), status = text('status', 32), rule = text('rule', 200)
  for (const v of [dept, status, rule]) if (v instanceof Error) return v.message
  if (dept) f.dept = dept as string
  if (status) f.status = status as string
  if (rule) f.rule = rule as string
  const level = q.get('level')
  if (level) {
    if (level !== 'yellow' && level !== 'red') return 'level must be yellow or red'
    f.level = level
  }
  const limit = q.get('limit')
  if (limit) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) return `limit must be an integer 1..${MAX_LIMIT}`
    f.limit = Number(limit)
  }
  const before = q.get('before')
  if (before) {
    const c = parseCursor(before)
    if (!c) return 'before must be an RFC 3339 instant or the "next" of a previous page'
    f.before = c
  }
  return f
}

/** segments splits a path into decoded segments; null when one is not valid percent-encoding. */
function segments(path: string): string[] | null {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return null
  }
}

async function get(req: IncomingMessage, res: ServerResponse, fn: () => Promise<void>): Promise<true> {
  if (allowMethod(req, res, 'GET')) await fn()
  return true
}

async function post(req: IncomingMessage, res: ServerResponse, fn: () => Promise<void>): Promise<true> {
  if (allowMethod(req, res, 'POST')) await fn()
  return true
}

/**
 * readJson reads a JSON object body, or answers 415/413/400 and returns null. JSON only:
 * a cross-site form cannot send it without a CORS preflight, which is never granted.
 */
async function readJson(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown> | null> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    sendJson(res, 415, { error: 'send the body as content-type: application/json' })
    return null
  }
  const text = await readBody(req, MAX_BODY)
  if (text === null) {
    sendJson(res, 413, { error: `the body is larger than ${MAX_BODY} bytes` })
    return null
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    sendJson(res, 400, { error: 'the body is not JSON' })
    return null
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendJson(res, 400, { error: 'the body must be a JSON object' })
    return null
  }
  return body as Record<string, unknown>
}

