/**
 * The case page's routes (案件详情): GET /api/v1/cases/:kind/:caseId gives a case's
 * events (personal data masked; the unmask route of caseRoutes.ts gives them in clear,
 * audited), its deadline clock read on the server with the rules' own clock and the
 * platform's calendar, every card it raised and why, its threads and their histories;
 * POST …/check-code issues the public check code (查询码), to the case's department or
 * an administrator, audited. A case outside the reader's scope answers 404, exactly
 * like one that does not exist.
 */
import type { ServerResponse } from 'node:http'
import { can, type Sessions, type User } from '../../../accounts/index.ts'
import { alertsOfCase, type ThreadStore } from '../../../alerts/index.ts'
import { type CaseClockView, type CasePage, caseKey, type IssuedCheckCode, KINDS, type Kind, MAX_CASE_CARDS, MAX_CLOCK_DATES, type ThreadView, type TimedEvent } from '../../../common/contract/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { sendJson } from '../../../common/http/index.ts'
import { maskPersonal } from '../../../common/privacy/index.ts'
import { caseClock, caseContext, type ClockReading, loadCase, type RuleContext } from '../../../rules/index.ts'
import { checkCodeIssued, issueCheckCode } from '../public/checkCodeStore.ts'
import type { ConsoleAudit } from './consoleAudit.ts'
import { apiPath, type ConsoleHandler, endpoint } from './routeKit.ts'
import { threadView, transitionView } from './threadRoutes.ts'

/** CasePageDeps is what the case page's routes need. */
export interface CasePageDeps {
  db: Db
  sessions: Sessions
  threads: ThreadStore
  /** the rules' context (zone, calendar, settings): the clock is read as the cards are raised */
  ctx: RuleContext
  now: () => number
  format: (t: number) => string
  audit: ConsoleAudit
  /** the check codes' HMAC key (public/checkCode.ts codeKey) */
  codeKey: string
}

/** MAX_THREADS bounds the threads of one case page. */
const MAX_THREADS = 20

/** casePageRoutes builds the handler of GET /api/v1/cases/:kind/:caseId and POST …/check-code. */
export function casePageRoutes(deps: CasePageDeps): ConsoleHandler {
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg[0] !== 'cases') return false
    if (p.seg.length === 3) {
      const [, kind, caseId] = p.seg as [string, string, string]
      return endpoint(deps.sessions, req, res, 'GET', (u) => casePage(deps, u, kind, caseId, res))
    }
    if (p.seg.length === 4 && p.seg[3] === 'check-code') {
      const [, kind, caseId] = p.seg as [string, string, string]
      return endpoint(deps.sessions, req, res, 'POST', (u) => issueCode(deps, u, kind, caseId, res))
    }
    return false
  }
}

/** readable loads a case the user may read: its events and department, or null (unknown, or outside the scope). */
async function readable(deps: CasePageDeps, user: User, kind: string, caseId: string): Promise<{ kind: Kind; events: TimedEvent[]; dept: string } | null> {
  if (!KINDS.includes(kind as Kind)) return null
  const events = await loadCase(deps.db, kind as Kind, caseId)
  // A case belongs to the department of its latest event (a transfer moves it).
  const dept = events.at(-1)?.ev.dept
  if (dept === undefined || !can(user, 'alerts.read', { dept })) return null
  return { kind: kind as Kind, events, dept }
}

/** mayIssue: the department that handles the case hands the code to the applicant; an administrator may too. */
function mayIssue(user: User, dept: string): boolean {
  return user.role === 'admin' || (user.role === 'department' && user.dept === dept)
}

async function casePage(deps: CasePageDeps, user: User, kind: string, caseId: string, res: ServerResponse): Promise<void> {
  const c = await readable(deps, user, kind, caseId)
  if (!c) return sendJson(res, 404, { error: 'no such case' })
  const now = deps.now()
  const f = deps.format
  const reading = caseClock(c.kind, c.events, caseContext(deps.ctx, c.events), now)
  const cards = await alertsOfCase(deps.db, c.kind, caseId, MAX_CASE_CARDS, f)
  const scope = { role: user.role, ...(user.dept ? { dept: user.dept } : {}) }
  const stored = await deps.threads.listThreads({ caseKind: c.kind, caseId, limit: MAX_THREADS }, scope)
  const threads: CasePage['threads'] = []
  for (const t of stored) threads.push({ thread: threadView(deps, t) as ThreadView, history: (await deps.threads.history(t.id)).map((h) => transitionView(deps, h)) })
  const code = await checkCodeIssued(deps.db, c.kind, caseId)
  const page: CasePage = {
    kind: c.kind, caseId, dept: c.dept, masked: true, now: f(now),
    events: c.events.map((e) => ({ at: f(e.t), seq: e.seq, event: maskPersonal(e.ev) as unknown as Record<string, unknown> })),
    clock: reading && clockView(reading, f),
    cards: cards.map((a) => ({ key: a.key, rule: a.rule, level: a.level, at: a.at, raisedAt: a.raisedAt, status: a.status, causes: a.causes, ...(a.note ? { note: a.note } : {}) })),
    threads,
    checkCode: code && { issuedAt: f(code.issuedAt), issuedBy: code.issuedBy },
    canIssueCode: mayIssue(user, c.dept),
    canUnmask: can(user, 'personal.unmask'),
  }
  return sendJson(res, 200, page)
}

/** clockView writes a reading's instants in the platform zone. */
export function clockView(r: ClockReading, f: (t: number) => string): CaseClockView {
  const ref = (e: { id: string; type: string; at: number }) => ({ id: e.id, type: e.type, at: f(e.at) })
  return {
    term: r.term, dayType: r.dayType, days: r.days, startedBy: ref(r.startedBy), countFrom: f(r.countFrom), due: r.due === null ? null : f(r.due),
    stoppedBy: r.stoppedBy && ref(r.stoppedBy), readAt: f(r.readAt), usedMs: r.usedMs, remainingMs: r.remainingMs, paused: r.paused, pausedMs: r.pausedMs,
    pauses: r.pauses.map((p) => ({ from: f(p.from), to: p.to === null ? null : f(p.to) })),
    countedDates: r.countedDates, makeUpDates: r.makeUpDates.slice(0, MAX_CLOCK_DATES), skipped: r.skipped.slice(0, MAX_CLOCK_DATES),
  }
}

/** issueCode answers POST …/check-code: a fresh code in clear, once; the old one stops working. Audited before it is sent. */
async function issueCode(deps: CasePageDeps, user: User, kind: string, caseId: string, res: ServerResponse): Promise<void> {
  const c = await readable(deps, user, kind, caseId)
  if (!c) return sendJson(res, 404, { error: 'no such case' })
  if (!mayIssue(user, c.dept)) return sendJson(res, 403, { error: `only the case's department (${c.dept}) or an administrator issues its check code` })
  const now = deps.now()
  // One transaction: no code is stored unaudited. The entry names the case and who issued, never the code.
  const code = await deps.db.transaction(async (tx) => {
    const fresh = await issueCheckCode(tx, deps.codeKey, c.kind, caseId, user.username, now)
    await deps.audit({ actor: user.username, action: 'case.check_code_issued', subject: `case:${caseKey(c.kind, caseId)}`, detail: {} }, tx)
    return fresh
  })
  const out: IssuedCheckCode = { code, issuedAt: deps.format(now) }
  return sendJson(res, 201, out)
}
