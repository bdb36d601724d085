/**
 * The consoles' alert routes: the scoped list of cards, filtered and paged, and one
 * card by key. A card outside the reader's scope answers 404, exactly like one that
 * does not exist, so keys cannot be probed.
 */
import type { ServerResponse } from 'node:http'
import { type AlertFilter, alertByKey, listAlerts, parseCursor } from '../../../alerts/index.ts'
import { alertScope, can, type Sessions, type User } from '../../../accounts/index.ts'
import type { Queryable } from '../../../common/db/index.ts'
import { sendJson } from '../../../common/http/index.ts'
import { apiPath, type ConsoleHandler, endpoint } from './routeKit.ts'

/** AlertRouteDeps is what the alert routes need. */
export interface AlertRouteDeps {
  db: Queryable
  sessions: Sessions
  /** formats instants in the platform zone, as the wall does */
  format: (t: number) => string
}

/** MAX_LIMIT is the largest page of GET /api/v1/alerts; DEFAULT_LIMIT when none is asked. */
export const MAX_LIMIT = 500
export const DEFAULT_LIMIT = 100

/** alertRoutes builds the handler of GET /api/v1/alerts and GET /api/v1/alerts/:key; it rejects only on database errors. */
export function alertRoutes(deps: AlertRouteDeps): ConsoleHandler {
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg[0] !== 'alerts' || p.seg.length > 2) return false
    const key = p.seg[1]
    if (key === undefined) return endpoint(deps.sessions, req, res, 'GET', (u) => alertList(deps, u, p.url, res))
    return endpoint(deps.sessions, req, res, 'GET', (u) => oneAlert(deps, u, key, res))
  }
}

/** alertList answers GET /api/v1/alerts: 403 when a department user names another department. */
async function alertList(deps: AlertRouteDeps, user: User, url: URL, res: ServerResponse): Promise<void> {
  if (!can(user, 'alerts.read', user.dept ? { dept: user.dept } : undefined)) return sendJson(res, 403, { error: 'not allowed to read alerts' })
  const f = parseFilter(url.searchParams)
  if (typeof f === 'string') return sendJson(res, 400, { error: f })
  const scope = alertScope(user)
  if ('dept' in scope && f.dept !== undefined && f.dept !== scope.dept) {
    return sendJson(res, 403, { error: 'a department user reads only its own department' })
  }
  if ('none' in scope) return sendJson(res, 200, { alerts: [], next: null })
  return sendJson(res, 200, await listAlerts(deps.db, scope, f, deps.format))
}

/** oneAlert answers GET /api/v1/alerts/:key; outside the scope is 404, not 403. */
async function oneAlert(deps: AlertRouteDeps, user: User, key: string, res: ServerResponse): Promise<void> {
  const a = await alertByKey(deps.db, key, deps.format)
  if (!a || !can(user, 'alerts.read', { dept: a.dept })) return sendJson(res, 404, { error: 'no such alert' })
  return sendJson(res, 200, a)
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
