/**
 * The consoles' thread routes over the supervision loop (docs/lifecycle.md "Console
 * API"): list, read, acknowledge, rectify (with attachments), approve, return, and
 * download an attachment. Every request is signed in by session and checked with
 * accounts' `can()`. A thread outside the reader's scope answers 404, exactly like one
 * that does not exist. Changes go through ThreadStore.applyAction, which records who,
 * when and why and audits in the same transaction.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type Action as LoopAction, type Actor, AttachmentError, type AttachmentStore, isRefusal, readLimited, type Rectification, type Refusal, type RefusalReason,
  type State, STATES, type StoredThread, type StoredTransition, type ThreadFilter, type ThreadStore, transition, type Upload,
} from '../../../alerts/index.ts'
import { can, type Sessions, type User } from '../../../accounts/index.ts'
import { readJson, sendJson } from '../../../common/http/index.ts'
import { actorOf, apiPath, type ConsoleHandler, endpoint, forbidden, MAX_JSON, optionalText } from './routeKit.ts'

/** ThreadRouteDeps is what the thread routes need. */
export interface ThreadRouteDeps {
  threads: ThreadStore
  sessions: Sessions
  /** where rectification attachments are kept, with the per-file and per-submission limits */
  attachments: AttachmentStore
  now: () => number
  /** formats instants in the platform zone */
  format: (t: number) => string
  log: (m: string) => void
}

/** MAX_COMMENT is the longest comment on an action. */
export const MAX_COMMENT = 1000
const MAX_LIMIT = 500

/** threadRoutes builds the handler of /api/v1/threads…; it rejects only on database errors. */
export function threadRoutes(deps: ThreadRouteDeps): ConsoleHandler {
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg[0] !== 'threads') return false
    const [, id, sub, arg, ...more] = p.seg
    const on = (method: 'GET' | 'POST', fn: (u: User, t: StoredThread) => Promise<void>) =>
      endpoint(deps.sessions, req, res, method, (u) => withThread(deps, u, id!, res, (t) => fn(u, t)))
    if (id === undefined) return endpoint(deps.sessions, req, res, 'GET', (u) => listThreads(deps, u, p.url, res))
    if (more.length) return false
    if (sub === undefined) return on('GET', (_, t) => oneThread(deps, t, res))
    if (sub === 'attachments' && arg !== undefined) return on('GET', (_, t) => attachment(deps, t, arg, res))
    if (arg !== undefined) return false
    switch (sub) {
      case 'acknowledge':
      case 'approve':
      case 'return':
        return on('POST', (u, t) => simpleAction(deps, u, t, sub, req, res))
      case 'rectifications':
        return on('POST', (u, t) => rectify(deps, u, t, req, res))
    }
    return false
  }
}

/** listThreads answers GET /api/v1/threads?state=&dept=&level=&open=&limit=, within the reader's scope. */
async function listThreads(deps: ThreadRouteDeps, user: User, url: URL, res: ServerResponse): Promise<void> {
  if (!can(user, 'alerts.read', user.dept ? { dept: user.dept } : undefined)) return sendJson(res, 403, { error: 'not allowed to read threads' })
  const f = parseThreadFilter(url.searchParams)
  if ('error' in f) return sendJson(res, 400, f)
  if (user.role === 'department' && f.dept !== undefined && f.dept !== user.dept) {
    return sendJson(res, 403, { error: 'a department user reads only its own department', field: 'dept' })
  }
  const list = await deps.threads.listThreads(f, { role: user.role, dept: user.dept ?? undefined })
  return sendJson(res, 200, { threads: list.map((t) => threadView(deps, t)) })
}

/** oneThread answers GET /api/v1/threads/:id with its history and rectifications. */
async function oneThread(deps: ThreadRouteDeps, t: StoredThread, res: ServerResponse): Promise<void> {
  const [history, rects] = await Promise.all([deps.threads.history(t.id), deps.threads.rectifications(t.id)])
  return sendJson(res, 200, {
    thread: threadView(deps, t),
    history: history.map((h) => transitionView(deps, h)),
    rectifications: rects.map((r) => rectificationView(deps, r)),
  })
}

const ACTION_PERMISSION = { acknowledge: 'alerts.acknowledge', approve: 'alerts.review', return: 'alerts.review' } as const
const DEFAULT_WHY = { acknowledge: '控制台确认', approve: '审核通过', return: '' } as const

/** simpleAction answers POST …/acknowledge, …/approve and …/return {comment}; return needs the comment. */
async function simpleAction(
  deps: ThreadRouteDeps, user: User, t: StoredThread, name: keyof typeof ACTION_PERMISSION, req: IncomingMessage, res: ServerResponse,
): Promise<void> {
  if (!can(user, ACTION_PERMISSION[name], { dept: t.dept })) return forbidden(res, user, name)
  const body = await readJson(req, res, { maxBytes: MAX_JSON })
  if (!body) return
  const comment = optionalText(body.comment, 'comment', MAX_COMMENT)
  if (typeof comment === 'object') return sendJson(res, 400, comment)
  return apply(deps, res, t, { name }, actorOf(user), comment ?? DEFAULT_WHY[name], 200)
}

/**
 * rectify answers POST /api/v1/threads/:id/rectifications: JSON {text}, or
 * multipart/form-data with a `text` field and up to five PDF/PNG/JPEG files.
 * The state machine is asked first, so a refused submission stores no file.
 */
async function rectify(deps: ThreadRouteDeps, user: User, t: StoredThread, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!can(user, 'alerts.rectify', { dept: t.dept })) return forbidden(res, user, 'submit a rectification')
  const input = await readRectification(deps, req, res)
  if (!input) return
  const actor = actorOf(user)
  const dry = transition(t, { name: 'submit_rectification', text: input.text }, actor, deps.now(), input.why)
  if (isRefusal(dry)) return refusal(res, dry)
  let attachments
  try {
    attachments = await deps.attachments.saveAll(input.uploads)
  } catch (e) {
    if (e instanceof AttachmentError) return attachmentError(res, e)
    throw e
  }
  return apply(deps, res, t, { name: 'submit_rectification', text: input.text, attachments }, actor, input.why, 201)
}

interface RectificationInput {
  text: string
  why: string
  uploads: Upload[]
}

async function readRectification(deps: ThreadRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<RectificationInput | null> {
  const type = req.headers['content-type'] ?? ''
  let fields: Record<string, unknown>
  const uploads: Upload[] = []
  if (/^multipart\/form-data\b/i.test(type)) {
    // A form can be posted cross-site without a preflight: refuse another origin outright.
    if (!sameOrigin(req)) {
      sendJson(res, 403, { error: 'uploads are accepted only from the console itself (Origin differs from Host)' })
      return null
    }
    const form = await readForm(deps, req, res, type)
    if (!form) return null
    fields = {}
    const entries: Array<[string, FormDataEntryValue]> = []
    form.forEach((v, name) => entries.push([name, v]))
    for (const [name, v] of entries) {
      if (typeof v === 'string') fields[name] = v
      else uploads.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) })
    }
  } else {
    const body = await readJson(req, res, { maxBytes: MAX_JSON })
    if (!body) return null
    if (body.attachments !== undefined) {
      sendJson(res, 400, { error: 'attachments are uploaded as multipart/form-data, not in JSON', field: 'attachments' })
      return null
    }
    fields = body
  }
  if (typeof fields.text !== 'string') {
    sendJson(res, 400, { error: 'text (the rectification, at least 10 characters) is required', field: 'text' })
    return null
  }
  const comment = optionalText(fields.comment, 'comment', MAX_COMMENT)
  if (typeof comment === 'object') {
    sendJson(res, 400, comment)
    return null
  }
  return { text: fields.text, why: comment ?? '提交整改', uploads }
}

/** readForm reads a multipart body of at most maxFiles × maxBytes (plus the fields); null after answering 413/400. */
async function readForm(deps: ThreadRouteDeps, req: IncomingMessage, res: ServerResponse, type: string): Promise<FormData | null> {
  const { maxBytes, maxFiles } = deps.attachments.limits
  const max = maxBytes * maxFiles + MAX_JSON
  if (Number(req.headers['content-length'] ?? 0) > max) {
    sendJson(res, 413, { error: `the upload is larger than ${max} bytes`, field: 'attachments' })
    return null
  }
  let bytes: Uint8Array<ArrayBuffer>
  try {
    // The stream is not destroyed on a refusal, so the rest is drained and the 413 reaches the client.
    bytes = new Uint8Array(await readLimited(req.iterator({ destroyOnReturn: false }), max, 'the upload'))
  } catch (e) {
    if (!(e instanceof AttachmentError)) throw e
    req.resume()
    sendJson(res, 413, { error: `the upload is larger than ${max} bytes`, field: 'attachments' })
    return null
  }
  try {
    return await new Response(bytes, { headers: { 'content-type': type } }).formData()
  } catch {
    sendJson(res, 400, { error: 'the body is not valid multipart/form-data', field: '(body)' })
    return null
  }
}

/** sameOrigin is false when the browser says the request comes from another origin than the Host it was sent to. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (!origin) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

/** attachment answers GET /api/v1/threads/:id/attachments/:sha256 with a file of the thread's rectifications. */
async function attachment(deps: ThreadRouteDeps, t: StoredThread, sha256: string, res: ServerResponse): Promise<void> {
  const ref = (await deps.threads.rectifications(t.id)).flatMap((r) => r.attachments).find((a) => a.sha256 === sha256)
  if (!ref) return sendJson(res, 404, { error: 'no such attachment' })
  let bytes: Uint8Array
  try {
    bytes = await deps.attachments.read(ref.sha256)
  } catch (e) {
    if (e instanceof AttachmentError) return sendJson(res, 404, { error: 'no such attachment' })
    throw e
  }
  res.writeHead(200, {
    'content-type': ref.type,
    'content-length': bytes.length,
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(ref.name)}`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  })
  res.end(bytes)
}

async function apply(deps: ThreadRouteDeps, res: ServerResponse, t: StoredThread, action: LoopAction, actor: Actor, why: string, ok: number): Promise<void> {
  const r = await deps.threads.applyAction(t.id, action, actor, why)
  if (isRefusal(r)) return refusal(res, r)
  deps.log(`dashboard: ${actor.role} ${actor.name} ${action.name} thread ${t.id}`)
  return sendJson(res, ok, { thread: threadView(deps, r.thread), transition: transitionView(deps, r.transition) })
}

/** withThread runs fn on a thread the user may read; anything else is 404, so ids cannot be probed. */
async function withThread(deps: ThreadRouteDeps, user: User, id: string, res: ServerResponse, fn: (t: StoredThread) => Promise<void>): Promise<void> {
  const t = /^[1-9]\d{0,14}$/.test(id) ? await deps.threads.threadById(Number(id)) : null
  if (!t || !can(user, 'alerts.read', { dept: t.dept })) return sendJson(res, 404, { error: 'no such thread' })
  return fn(t)
}

const REFUSAL_ANSWER: Record<RefusalReason, { status: number; field?: string }> = {
  wrong_state: { status: 409 },
  wrong_role: { status: 403 },
  wrong_dept: { status: 403 },
  missing_text: { status: 400, field: 'text' },
  missing_comment: { status: 400, field: 'comment' },
  too_many_attachments: { status: 400, field: 'attachments' },
  not_found: { status: 404 },
}

function refusal(res: ServerResponse, r: Refusal): void {
  const a = REFUSAL_ANSWER[r.refused]
  return sendJson(res, a.status, { error: r.message, refused: r.refused, ...(a.field ? { field: a.field } : {}) })
}

function attachmentError(res: ServerResponse, e: AttachmentError): void {
  const status = e.code === 'bad_type' ? 415 : e.code === 'too_large' ? 413 : 400
  return sendJson(res, status, { error: e.message, field: 'attachments', ...(e.fileName ? { file: e.fileName } : {}) })
}

function parseThreadFilter(q: URLSearchParams): ThreadFilter | { error: string; field: string } {
  const f: ThreadFilter = {}
  const state = q.get('state')
  if (state) {
    const states = state.split(',')
    const bad = states.find((s) => !STATES.includes(s as State))
    if (bad !== undefined) return { error: `state must be one or more of ${STATES.join(', ')}, got "${bad.slice(0, 40)}"`, field: 'state' }
    f.state = states as State[]
  }
  const dept = q.get('dept')
  if (dept) {
    if (dept.length > 64) return { error: 'dept is at most 64 characters', field: 'dept' }
    f.dept = dept
  }
  const level = q.get('level')
  if (level) {
    if (level !== 'yellow' && level !== 'red') return { error: 'level must be yellow or red', field: 'level' }
    f.level = level
  }
  const open = q.get('open')
  if (open) {
    if (open !== 'true' && open !== 'false') return { error: 'open must be true or false', field: 'open' }
    f.open = open === 'true'
  }
  const limit = q.get('limit')
  if (limit) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) return { error: `limit must be an integer 1..${MAX_LIMIT}`, field: 'limit' }
    f.limit = Number(limit)
  }
  return f
}

// ---- views ----

/** threadView is a stored thread as the browser reads it (the case page shows it too). */
export function threadView(deps: Pick<ThreadRouteDeps, 'format'>, t: StoredThread) {
  const at = (v: number | null) => (v === null ? null : deps.format(v))
  return {
    id: t.id, caseKind: t.caseKind, caseId: t.caseId, family: t.family, dept: t.dept, level: t.level, state: t.state,
    open: t.closedAt === null, alertKeys: t.alertKeys, shortCode: t.shortCode, escalation: t.escalation,
    openedAt: deps.format(t.openedAt), updatedAt: deps.format(t.updatedAt), notifiedAt: at(t.notifiedAt), ackAt: at(t.ackAt),
    rectificationDueAt: at(t.rectificationDueAt), closedAt: at(t.closedAt),
  }
}

/** transitionView is one row of a thread's history as the browser reads it. */
export function transitionView(deps: Pick<ThreadRouteDeps, 'format'>, h: StoredTransition) {
  return { id: h.id, action: h.action, from: h.from, to: h.to, actor: h.actor, at: deps.format(h.at), why: h.why, detail: h.detail }
}

function rectificationView(deps: ThreadRouteDeps, r: Rectification) {
  return {
    id: r.id, text: r.text, submittedBy: r.submittedBy, submittedAt: deps.format(r.submittedAt),
    attachments: r.attachments.map((a) => ({ ...a, url: `/api/v1/threads/${r.threadId}/attachments/${a.sha256}` })),
  }
}
