/**
 * The consoles' case routes: a case's events with personal data masked, and the
 * unmask route, which needs the permission and a reason and is audited before the
 * clear data leaves. A case outside the reader's scope answers 404, exactly like one
 * that does not exist.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { can, type Sessions, type User } from '../../../accounts/index.ts'
import { caseKey, KINDS, type Kind } from '../../../common/contract/index.ts'
import type { Queryable } from '../../../common/db/index.ts'
import { readJson, sendJson } from '../../../common/http/index.ts'
import { maskPersonal } from '../../../common/privacy/index.ts'
import { loadCase } from '../../../rules/index.ts'
import type { ConsoleAudit } from './consoleAudit.ts'
import { apiPath, type ConsoleHandler, endpoint } from './routeKit.ts'

/** CaseRouteDeps is what the case routes need. */
export interface CaseRouteDeps {
  db: Queryable
  sessions: Sessions
  /** formats instants in the platform zone, as the wall does */
  format: (t: number) => string
  /** writes the unmasking's audit entry (contract §4); when it rejects, the clear data is not sent */
  audit: ConsoleAudit
}

/** MAX_BODY is the largest unmask request read; MAX_REASON the longest reason. */
export const MAX_BODY = 8 * 1024
const MAX_REASON = 500

/** caseRoutes builds the handler of GET /api/v1/cases/:kind/:caseId/events and POST …/unmask; it rejects only on database errors. */
export function caseRoutes(deps: CaseRouteDeps): ConsoleHandler {
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg[0] !== 'cases' || p.seg.length !== 4) return false
    const [, kind, caseId, op] = p.seg as [string, string, string, string]
    if (op === 'events') return endpoint(deps.sessions, req, res, 'GET', (u) => caseEvents(deps, u, kind, caseId, res))
    if (op === 'unmask') return endpoint(deps.sessions, req, res, 'POST', (u) => unmask(deps, u, kind, caseId, req, res))
    return false
  }
}

/** caseEvents answers GET /api/v1/cases/:kind/:caseId/events with personal data masked. */
async function caseEvents(deps: CaseRouteDeps, user: User, kind: string, caseId: string, res: ServerResponse): Promise<void> {
  const c = await readableCase(deps, user, kind, caseId)
  if (!c) return sendJson(res, 404, { error: 'no such case' })
  return sendJson(res, 200, { ...c, masked: true, events: c.events.map((e) => ({ ...e, event: maskPersonal(e.event) })) })
}

/**
 * unmask answers POST /api/v1/cases/:kind/:caseId/unmask {reason}: the case's events in
 * clear, after the audit entry is written. 403 without the permission, 400 without a reason.
 */
async function unmask(deps: CaseRouteDeps, user: User, kind: string, caseId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!can(user, 'personal.unmask')) return sendJson(res, 403, { error: 'unmasking personal data needs the unmask permission' })
  const body = await readJson(req, res, { maxBytes: MAX_BODY, shape: '{reason}' })
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
async function readableCase(deps: CaseRouteDeps, user: User, kind: string, caseId: string): Promise<CaseView | null> {
  if (!KINDS.includes(kind as Kind)) return null
  const events = await loadCase(deps.db, kind as Kind, caseId)
  // A case belongs to the department of its latest event (a transfer moves it).
  const dept = events.at(-1)?.ev.dept
  if (dept === undefined || !can(user, 'alerts.read', { dept })) return null
  return { kind: kind as Kind, caseId, dept, events: events.map((e) => ({ at: deps.format(e.t), seq: e.seq, event: e.ev })) }
}
