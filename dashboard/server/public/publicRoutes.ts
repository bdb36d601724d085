/**
 * The public service API (信息服务 / 公众监督), answered without a session:
 *
 * - GET /api/v1/public/cases/:caseId?code=… — a case's stages and dates, opened by its
 *   check code; a wrong code answers exactly as an unknown case (404, same body), and
 *   wrong codes are rate-limited per client address and per case id (429 + Retry-After),
 *   whether the case exists or not;
 * - POST /api/v1/public/complaints — a complaint, rate-limited per client address, sent
 *   to the collector as a petition event of source `public`; answers its tracking
 *   number and a check code to follow it with;
 * - GET /api/v1/public/performance — the last frozen period's results (performance.ts);
 * - GET /api/v1/public/depts — the active departments' names, for the complaint form.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CaseEvent, ComplaintReceipt, DeptNames, PublicPerformance } from '../../../common/contract/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { readJson, sendJson } from '../../../common/http/index.ts'
import { loadCase } from '../../../rules/index.ts'
import { apiPath, type ConsoleHandler } from '../console/routeKit.ts'
import { caseProgress } from './caseProgress.ts'
import { caseOfCode, issueCheckCode } from './checkCodeStore.ts'
import { complaintEvent, ComplaintError, readComplaint, trackingNumber } from './complaint.ts'
import { RateLimiter, type Verdict } from './rateLimit.ts'

/** SubmitResult is the collector's verdict on one event. */
export type SubmitResult = { status: 'accepted' | 'duplicate' } | { status: 'rejected' | 'failed'; error: string }

/** PublicLimits are the rate limits; PUBLIC_LIMITS by default. */
export interface PublicLimits {
  wrongCodesPerIp: { limit: number; windowMs: number }
  wrongCodesPerCase: { limit: number; windowMs: number }
  complaintsPerIp: { limit: number; windowMs: number }
}

/** PUBLIC_LIMITS: 10 wrong codes per address per 15 min, 20 per case per hour, 5 complaints per address per hour. */
export const PUBLIC_LIMITS: PublicLimits = {
  wrongCodesPerIp: { limit: 10, windowMs: 15 * 60_000 },
  wrongCodesPerCase: { limit: 20, windowMs: 60 * 60_000 },
  complaintsPerIp: { limit: 5, windowMs: 60 * 60_000 },
}

/** PublicDeps is what the public routes need. */
export interface PublicDeps {
  db: Db
  codeKey: string
  now: () => number
  /** an instant's local date (YYYY-MM-DD) in the platform zone */
  dateOf: (t: number) => string
  /** an instant in the platform zone (RFC 3339), for the complaint event's `at` */
  format: (t: number) => string
  clientIp: (req: IncomingMessage) => string
  /** the registry's names; inactive departments are left out */
  depts: () => DeptNames
  /** sends a complaint's event to the collector; absent, complaints answer 503 */
  submit?: (ev: CaseEvent) => Promise<SubmitResult>
  performance: () => Promise<PublicPerformance>
  limits?: PublicLimits
  log?: (m: string) => void
}

/** MAX_COMPLAINT_BODY is the largest complaint read. */
export const MAX_COMPLAINT_BODY = 16 * 1024
const MAX_CASE_ID = 200
const NOT_FOUND = { error: 'no such case, or the check code does not match' }

/** publicRoutes builds the handler of /api/v1/public/…; it owns every path under it. */
export function publicRoutes(deps: PublicDeps): ConsoleHandler {
  const limits = deps.limits ?? PUBLIC_LIMITS
  const byIp = new RateLimiter(limits.wrongCodesPerIp)
  const byCase = new RateLimiter(limits.wrongCodesPerCase)
  const complaints = new RateLimiter(limits.complaintsPerIp)
  const log = deps.log ?? (() => {})
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg[0] !== 'public') return false
    const [, what, arg, ...more] = p.seg
    const get = req.method === 'GET' || req.method === 'HEAD'
    if (what === 'cases' && arg !== undefined && !more.length && get) await lookup(deps, req, res, arg, p.url.searchParams.get('code'), byIp, byCase)
    else if (what === 'complaints' && arg === undefined && req.method === 'POST') await complain(deps, req, res, complaints, log)
    else if (what === 'performance' && arg === undefined && get) sendJson(res, 200, await deps.performance())
    else if (what === 'depts' && arg === undefined && get) sendJson(res, 200, activeNames(deps.depts()))
    else if (['cases', 'complaints', 'performance', 'depts'].includes(what ?? '')) {
      res.setHeader('allow', what === 'complaints' ? 'POST' : 'GET, HEAD')
      sendJson(res, 405, { error: `method ${req.method} not allowed here` })
    } else sendJson(res, 404, { error: `no route ${p.url.pathname}` })
    return true
  }
}

function activeNames(names: DeptNames): DeptNames {
  const out: DeptNames = {}
  for (const [code, n] of Object.entries(names)) if (n && n.active !== false) out[code] = { 'zh-CN': n['zh-CN'], en: n.en }
  return out
}

function tooMany(res: ServerResponse, v: Verdict & { ok: false }, what: string): void {
  res.setHeader('retry-after', String(v.retryAfterS))
  return sendJson(res, 429, { error: `too many ${what}; try again in ${v.retryAfterS} s`, retryAfterS: v.retryAfterS })
}

async function lookup(
  deps: PublicDeps, req: IncomingMessage, res: ServerResponse, caseId: string, code: string | null, byIp: RateLimiter, byCase: RateLimiter,
): Promise<void> {
  if (!code) return sendJson(res, 400, { error: 'the check code is required: ?code=…', field: 'code' })
  if (caseId.length > MAX_CASE_ID) return sendJson(res, 404, NOT_FOUND)
  // Limits run on wall time, not the platform clock (the demo's time-lapse would empty them in seconds).
  const now = Date.now()
  const ip = deps.clientIp(req)
  // Refused before the code is looked at: a right code after the limit must not tell.
  for (const v of [byIp.check(ip, now), byCase.check(caseId, now)]) if (!v.ok) return tooMany(res, v, 'wrong check codes')
  const kind = await caseOfCode(deps.db, deps.codeKey, caseId, code)
  const events = kind ? await loadCase(deps.db, kind, caseId) : []
  if (!kind || !events.length) {
    byIp.count(ip, now)
    byCase.count(caseId, now)
    return sendJson(res, 404, NOT_FOUND)
  }
  res.setHeader('cache-control', 'no-store')
  return sendJson(res, 200, caseProgress(kind, caseId, events, deps.dateOf))
}

async function complain(deps: PublicDeps, req: IncomingMessage, res: ServerResponse, limiter: RateLimiter, log: (m: string) => void): Promise<void> {
  const now = Date.now()
  const ip = deps.clientIp(req)
  const v = limiter.check(ip, now)
  if (!v.ok) return tooMany(res, v, 'complaints from this address')
  const body = await readJson(req, res, { maxBytes: MAX_COMPLAINT_BODY, shape: '{dept, subject, details, name?, phone?}' })
  if (!body) return
  let input
  try {
    input = readComplaint(body, new Set(Object.keys(activeNames(deps.depts()))))
  } catch (e) {
    if (e instanceof ComplaintError) return sendJson(res, 400, { error: e.message, field: e.field })
    throw e
  }
  if (!deps.submit) return sendJson(res, 503, { error: 'complaints are not taken on this server (no collector in this process)' })
  limiter.count(ip, now)
  const at = deps.now()
  const tracking = trackingNumber(deps.dateOf(at))
  const code = await issueCheckCode(deps.db, deps.codeKey, 'petition', tracking, 'public', at)
  const r = await deps.submit(complaintEvent(input, tracking, deps.format(at), deps.codeKey))
  if (r.status === 'rejected' || r.status === 'failed') {
    log(`public: complaint ${tracking} not taken by the collector: ${r.error}`)
    res.setHeader('retry-after', '30')
    return sendJson(res, 503, { error: 'the complaint could not be filed now; please try again later' })
  }
  log(`public: complaint ${tracking} filed for ${input.dept}`)
  const out: ComplaintReceipt = { trackingNumber: tracking, checkCode: code }
  return sendJson(res, 201, out)
}
