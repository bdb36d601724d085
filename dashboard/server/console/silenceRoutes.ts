/**
 * The consoles' silence routes (inspectors and admins): list the silences in force or
 * to come, create one with a reason, end one early with a reason. Each change and its
 * audit entry commit in one transaction.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createSilence, expireSilence, MIN_REASON, type Silence, SilenceError, silencesSince } from '../../../alerts/index.ts'
import { can, type Sessions, type User } from '../../../accounts/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { readJson, sendJson } from '../../../common/http/index.ts'
import type { ConsoleAudit } from './consoleAudit.ts'
import { apiPath, type ConsoleHandler, endpoint, forbidden, MAX_JSON } from './routeKit.ts'

/** SilenceRouteDeps is what the silence routes need. */
export interface SilenceRouteDeps {
  db: Db
  sessions: Sessions
  audit: ConsoleAudit
  now: () => number
  /** formats instants in the platform zone */
  format: (t: number) => string
  log: (m: string) => void
}

/** silenceRoutes builds the handler of GET/POST /api/v1/silences and DELETE /api/v1/silences/:id; it rejects only on database errors. */
export function silenceRoutes(deps: SilenceRouteDeps): ConsoleHandler {
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg[0] !== 'silences' || p.seg.length > 2) return false
    const id = p.seg[1]
    const allowed = (u: User) => can(u, 'silences.manage')
    if (id !== undefined) {
      return endpoint(deps.sessions, req, res, 'DELETE', async (u) => (allowed(u) ? endSilence(deps, u, id, req, res) : forbidden(res, u, 'end a silence')))
    }
    if (req.method === 'POST') {
      return endpoint(deps.sessions, req, res, 'POST', async (u) => (allowed(u) ? newSilence(deps, u, req, res) : forbidden(res, u, 'create a silence')))
    }
    return endpoint(deps.sessions, req, res, 'GET', async (u) => {
      if (!allowed(u)) return forbidden(res, u, 'read silences')
      return sendJson(res, 200, { silences: (await silencesSince(deps.db, deps.now())).map((s) => silenceView(deps, s)) })
    })
  }
}

/** newSilence answers POST /api/v1/silences {rule?, dept?, startsAt?, endsAt, reason}: 201, or 400 naming the field. */
async function newSilence(deps: SilenceRouteDeps, user: User, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, res, { maxBytes: MAX_JSON })
  if (!body) return
  const now = deps.now()
  const startsAt = body.startsAt === undefined ? now : instant(body.startsAt)
  const endsAt = instant(body.endsAt)
  for (const field of ['rule', 'dept', 'reason'] as const) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string') return sendJson(res, 400, { error: `${field} must be a string`, field })
  }
  try {
    const s = await deps.db.transaction(async (tx) => {
      const s = await createSilence(tx, {
        rule: body.rule as string | undefined, dept: body.dept as string | undefined, startsAt, endsAt,
        reason: (body.reason as string | undefined) ?? '', createdBy: user.username,
      }, now)
      await deps.audit({
        actor: user.username, action: 'silence.created', subject: `silence:${s.id}`,
        detail: { rule: s.rule, dept: s.dept, startsAt: new Date(s.startsAt).toISOString(), endsAt: new Date(s.endsAt).toISOString(), reason: s.reason },
      }, tx)
      return s
    })
    return sendJson(res, 201, { silence: silenceView(deps, s) })
  } catch (e) {
    if (e instanceof SilenceError) return sendJson(res, 400, { error: e.message, field: e.field })
    throw e
  }
}

/** endSilence answers DELETE /api/v1/silences/:id {reason}: ends it now (or cancels one not yet started). */
async function endSilence(deps: SilenceRouteDeps, user: User, id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, res, { maxBytes: MAX_JSON })
  if (!body) return
  const reason = typeof body.reason === 'string' ? body.reason.trim() : ''
  if (reason.length < MIN_REASON) return sendJson(res, 400, { error: `a reason of at least ${MIN_REASON} characters is required`, field: 'reason' })
  const r = await deps.db.transaction(async (tx) => {
    const ended = await expireSilence(tx, id, deps.now())
    if (ended) await deps.audit({ actor: user.username, action: 'silence.expired', subject: `silence:${id}`, detail: { status: ended, reason } }, tx)
    return ended
  })
  if (!r) return sendJson(res, 404, { error: 'no such silence in force or to come' })
  deps.log(`dashboard: silence ${id} ${r} by ${user.username}: ${reason}`)
  return sendJson(res, 200, { id, status: r })
}

/** instant reads an RFC 3339 string or epoch ms; NaN otherwise, which validateSilence names. */
function instant(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return Date.parse(v)
  return NaN
}

function silenceView(deps: SilenceRouteDeps, s: Silence) {
  return { ...s, startsAt: deps.format(s.startsAt), endsAt: deps.format(s.endsAt), createdAt: deps.format(s.createdAt) }
}
