/**
 * The consoles' API over the supervision loop (docs/lifecycle.md "Console API"):
 * threads (list, read, acknowledge, rectify, approve, return, attachments),
 * silences and contacts. Every request is signed in by session and checked with
 * access.ts's `can()`. A thread outside the reader's scope answers 404, exactly like
 * one that does not exist. Thread changes go through ThreadStore.applyAction, which
 * records who, when and why and audits in the same transaction.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { appendAudit, type AuditAction } from '../../common/audit/index.ts'
import { type Action as LoopAction, type Actor, AttachmentError, type AttachmentLimits, AttachmentStore, ContactError, contactsOf, createSilence, DEFAULT_LIMITS, expireSilence, isRefusal, listContacts, MIN_REASON, readLimited, type Rectification, type Refusal, type RefusalReason, type Silence, SilenceError, silencesSince, type State, STATES, type StoredThread, type StoredTransition, type ThreadFilter, type ThreadStore, transition, type Upload, upsertContact } from '../../alerts/index.ts'
import type { Db, Queryable } from '../../common/db/index.ts'
import { type Action, allowMethod, can, type HttpMethod, type Sessions, type User, withSession } from '../../accounts/index.ts'
import { sendJson } from '../../common/http/index.ts'

/** ConsoleAuditEntry is one audit entry of the consoles (sign-ins, unmasking, silences). */
export interface ConsoleAuditEntry {
  actor: string
  action: AuditAction
  subject: string
  detail: Record<string, unknown>
}

/** ConsoleAudit appends an entry to the audit trail; given tx, inside that transaction. */
export type ConsoleAudit = (e: ConsoleAuditEntry, tx?: Queryable) => Promise<void>

/** ConsoleDeps is what the console routes need; the platform wires it in bin/platform.ts. */
export interface ConsoleDeps {
  db: Db
  threads: ThreadStore
  sessions: Sessions
  /** where rectification attachments are stored (<dataDir>/attachments) */
  attachmentsDir: string
  audit: ConsoleAudit
  /** the platform clock; wall time by default */
  now?: () => number
  /** formats instants in the platform zone; ISO 8601 UTC by default */
  format?: (t: number) => string
  /** the platform zone's IANA name, as `format` writes it (told to browsers in GET /api/v1/me); UTC by default */
  zone?: string
  /** per-file and per-submission limits; DEFAULT_LIMITS (10 MB, 5 files) by default */
  limits?: AttachmentLimits
  log?: (m: string) => void
}

/** ConsoleHandler answers a request and resolves true, or resolves false for a path it does not own. */
export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

/** auditWriter is the usual ConsoleAudit: appendAudit at the clock's instant, in tx or a transaction of its own. */
export function auditWriter(db: Db, now: () => number): ConsoleAudit {
  return async (e, tx) => {
    const entry = { at: now(), ...e }
    if (tx) await appendAudit(tx, entry)
    else await db.transaction((t) => appendAudit(t, entry))
  }
}

/** MAX_JSON is the largest JSON body read; MAX_COMMENT the longest comment. */
export const MAX_JSON = 64 * 1024
export const MAX_COMMENT = 1000
const MAX_LIMIT = 500

interface Ctx extends Required<Omit<ConsoleDeps, 'limits' | 'zone'>> {
  store: AttachmentStore
}

/** consoleRoutes builds the handler of /api/v1/{threads,silences,contacts}; it rejects only on database errors. */
export function consoleRoutes(deps: ConsoleDeps): ConsoleHandler {
  const ctx: Ctx = {
    now: Date.now, format: (t) => new Date(t).toISOString(), log: () => {}, ...deps,
    store: new AttachmentStore(deps.attachmentsDir, deps.limits ?? DEFAULT_LIMITS),
  }
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://jiancha.invalid')
    const seg = segments(url.pathname)
    if (!seg || seg[0] !== 'api' || seg[1] !== 'v1') return false
    const [, , top, ...rest] = seg
    if (top === 'threads') return threadRoute(ctx, req, res, url, rest)
    if (top === 'silences' && rest.length <= 1) return silenceRoute(ctx, req, res, rest[0])
    if (top === 'contacts' && (rest.length === 0 || rest.length === 2)) return contactRoute(ctx, req, res, rest)
    return false
  }
}

// ---- threads ----

async function threadRoute(ctx: Ctx, req: IncomingMessage, res: ServerResponse, url: URL, rest: string[]): Promise<boolean> {
  const [id, sub, arg, ...more] = rest
  if (id === undefined) return endpoint(ctx, req, res, 'GET', (u) => listThreads(ctx, u, url, res))
  if (more.length) return false
  if (sub === undefined) return endpoint(ctx, req, res, 'GET', (u) => withThread(ctx, u, id, res, (t) => oneThread(ctx, t, res)))
  if (sub === 'attachments' && arg !== undefined) {
    return endpoint(ctx, req, res, 'GET', (u) => withThread(ctx, u, id, res, (t) => attachment(ctx, t, arg, res)))
  }
  if (arg !== undefined) return false
  switch (sub) {
    case 'acknowledge':
      return endpoint(ctx, req, res, 'POST', (u) => withThread(ctx, u, id, res, (t) => simpleAction(ctx, u, t, 'acknowledge', req, res)))
    case 'approve':
      return endpoint(ctx, req, res, 'POST', (u) => withThread(ctx, u, id, res, (t) => simpleAction(ctx, u, t, 'approve', req, res)))
    case 'return':
      return endpoint(ctx, req, res, 'POST', (u) => withThread(ctx, u, id, res, (t) => simpleAction(ctx, u, t, 'return', req, res)))
    case 'rectifications':
      return endpoint(ctx, req, res, 'POST', (u) => withThread(ctx, u, id, res, (t) => rectify(ctx, u, t, req, res)))
  }
  return false
}

/** listThreads answers GET /api/v1/threads?state=&dept=&level=&open=&limit=, within the reader's scope. */
async function listThreads(ctx: Ctx, user: User, url: URL, res: ServerResponse): Promise<void> {
  if (!can(user, 'alerts.read', user.dept ? { dept: user.dept } : undefined)) return sendJson(res, 403, { error: 'not allowed to read threads' })
  const f = parseThreadFilter(url.searchParams)
  if ('error' in f) return sendJson(res, 400, f)
  if (user.role === 'department' && f.dept !== undefined && f.dept !== user.dept) {
    return sendJson(res, 403, { error: 'a department user reads only its own department', field: 'dept' })
  }
  const list = await ctx.threads.listThreads(f, { role: user.role, dept: user.dept ?? undefined })
  return sendJson(res, 200, { threads: list.map((t) => threadView(ctx, t)) })
}

/** oneThread answers GET /api/v1/threads/:id with its history and rectifications. */
async function oneThread(ctx: Ctx, t: StoredThread, res: ServerResponse): Promise<void> {
  const [history, rects] = await Promise.all([ctx.threads.history(t.id), ctx.threads.rectifications(t.id)])
  return sendJson(res, 200, {
    thread: threadView(ctx, t),
    history: history.map((h) => transitionView(ctx, h)),
    rectifications: rects.map((r) => rectificationView(ctx, r)),
  })
}

const ACTION_PERMISSION = { acknowledge: 'alerts.acknowledge', approve: 'alerts.review', return: 'alerts.review' } as const
const DEFAULT_WHY = { acknowledge: '控制台确认', approve: '审核通过', return: '' } as const

/** simpleAction answers POST …/acknowledge, …/approve and …/return {comment}; return needs the comment. */
async function simpleAction(ctx: Ctx, user: User, t: StoredThread, name: keyof typeof ACTION_PERMISSION, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!can(user, ACTION_PERMISSION[name], { dept: t.dept })) return forbidden(res, user, name)
  const body = await readJson(req, res)
  if (!body) return
  const comment = optionalText(body.comment, 'comment', MAX_COMMENT)
  if (typeof comment === 'object') return sendJson(res, 400, comment)
  return apply(ctx, res, t, { name }, actorOf(user), comment ?? DEFAULT_WHY[name], 200)
}

/**
 * rectify answers POST /api/v1/threads/:id/rectifications: JSON {text}, or
 * multipart/form-data with a `text` field and up to five PDF/PNG/JPEG files.
 * The state machine is asked first, so a refused submission stores no file.
 */
async function rectify(ctx: Ctx, user: User, t: StoredThread, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!can(user, 'alerts.rectify', { dept: t.dept })) return forbidden(res, user, 'submit a rectification')
  const input = await readRectification(ctx, req, res)
  if (!input) return
  const actor = actorOf(user)
  const dry = transition(t, { name: 'submit_rectification', text: input.text }, actor, ctx.now(), input.why)
  if (isRefusal(dry)) return refusal(res, dry)
  let attachments
  try {
    attachments = await ctx.store.saveAll(input.uploads)
  } catch (e) {
    if (e instanceof AttachmentError) return attachmentError(res, e)
    throw e
  }
  return apply(ctx, res, t, { name: 'submit_rectification', text: input.text, attachments }, actor, input.why, 201)
}

interface RectificationInput {
  text: string
  why: string
  uploads: Upload[]
}

async function readRectification(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<RectificationInput | null> {
  const type = req.headers['content-type'] ?? ''
  let fields: Record<string, unknown>
  const uploads: Upload[] = []
  if (/^multipart\/form-data\b/i.test(type)) {
    // A form can be posted cross-site without a preflight: refuse another origin outright.
    if (!sameOrigin(req)) {
      sendJson(res, 403, { error: 'uploads are accepted only from the console itself (Origin differs from Host)' })
      return null
    }
    const form = await readForm(ctx, req, res, type)
    if (!form) return null
    fields = {}
    const entries: Array<[string, FormDataEntryValue]> = []
    form.forEach((v, name) => entries.push([name, v]))
    for (const [name, v] of entries) {
      if (typeof v === 'string') fields[name] = v
      else uploads.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) })
    }
  } else {
    const body = await readJson(req, res)
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
async function readForm(ctx: Ctx, req: IncomingMessage, res: ServerResponse, type: string): Promise<FormData | null> {
  const { maxBytes, maxFiles } = ctx.store.limits
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

/** attachment answers GET /api/v1/threads/:id/attachments/:sha256 with a file of the thread's rectifications. */
async function attachment(ctx: Ctx, t: StoredThread, sha256: string, res: ServerResponse): Promise<void> {
  const ref = (await ctx.threads.rectifications(t.id)).flatMap((r) => r.attachments).find((a) => a.sha256 === sha256)
  if (!ref) return sendJson(res, 404, { error: 'no such attachment' })
  let bytes: Uint8Array
  try {
    bytes = await ctx.store.read(ref.sha256)
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

async function apply(ctx: Ctx, res: ServerResponse, t: StoredThread, action: LoopAction, actor: Actor, why: string, ok: number): Promise<void> {
  const r = await ctx.threads.applyAction(t.id, action, actor, why)
  if (isRefusal(r)) return refusal(res, r)
  ctx.log(`dashboard: ${actor.role} ${actor.name} ${action.name} thread ${t.id}`)
  return sendJson(res, ok, { thread: threadView(ctx, r.thread), transition: transitionView(ctx, r.transition) })
}

/** withThread runs fn on a thread the user may read; anything else is 404, so ids cannot be probed. */
async function withThread(ctx: Ctx, user: User, id: string, res: ServerResponse, fn: (t: StoredThread) => Promise<void>): Promise<void> {
  const t = /^[1-9]\d{0,14}$/.test(id) ? await ctx.threads.threadById(Number(id)) : null
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

// ---- silences ----

/** silenceRoute answers GET/POST /api/v1/silences and DELETE /api/v1/silences/:id (inspectors and admins). */
async function silenceRoute(ctx: Ctx, req: IncomingMessage, res: ServerResponse, id: string | undefined): Promise<boolean> {
  const allowed = (u: User) => can(u, 'silences.manage')
  if (id !== undefined) {
    return endpoint(ctx, req, res, 'DELETE', async (u) => (allowed(u) ? endSilence(ctx, u, id, req, res) : forbidden(res, u, 'end a silence')))
  }
  if (req.method === 'POST') return endpoint(ctx, req, res, 'POST', async (u) => (allowed(u) ? newSilence(ctx, u, req, res) : forbidden(res, u, 'create a silence')))
  return endpoint(ctx, req, res, 'GET', async (u) => {
    if (!allowed(u)) return forbidden(res, u, 'read silences')
    return sendJson(res, 200, { silences: (await silencesSince(ctx.db, ctx.now())).map((s) => silenceView(ctx, s)) })
  })
}

/** newSilence answers POST /api/v1/silences {rule?, dept?, startsAt?, endsAt, reason}: 201, or 400 naming the field. */
async function newSilence(ctx: Ctx, user: User, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, res)
  if (!body) return
  const now = ctx.now()
  const startsAt = body.startsAt === undefined ? now : instant(body.startsAt)
  const endsAt = instant(body.endsAt)
  for (const field of ['rule', 'dept', 'reason'] as const) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string') return sendJson(res, 400, { error: `${field} must be a string`, field })
  }
  try {
    const s = await ctx.db.transaction(async (tx) => {
      const s = await createSilence(tx, {
        rule: body.rule as string | undefined, dept: body.dept as string | undefined, startsAt, endsAt,
        reason: (body.reason as string | undefined) ?? '', createdBy: user.username,
      }, now)
      await ctx.audit({
        actor: user.username, action: 'silence.created', subject: `silence:${s.id}`,
        detail: { rule: s.rule, dept: s.dept, startsAt: new Date(s.startsAt).toISOString(), endsAt: new Date(s.endsAt).toISOString(), reason: s.reason },
      }, tx)
      return s
    })
    return sendJson(res, 201, { silence: silenceView(ctx, s) })
  } catch (e) {
    if (e instanceof SilenceError) return sendJson(res, 400, { error: e.message, field: e.field })
    throw e
  }
}

/** endSilence answers DELETE /api/v1/silences/:id {reason}: ends it now (or cancels one not yet started). */
async function endSilence(ctx: Ctx, user: User, id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, res)
  if (!body) return
  const reason = typeof body.reason === 'string' ? body.reason.trim() : ''
  if (reason.length < MIN_REASON) return sendJson(res, 400, { error: `a reason of at least ${MIN_REASON} characters is required`, field: 'reason' })
  const r = await ctx.db.transaction(async (tx) => {
    const ended = await expireSilence(tx, id, ctx.now())
    if (ended) await ctx.audit({ actor: user.username, action: 'silence.expired', subject: `silence:${id}`, detail: { status: ended, reason } }, tx)
    return ended
  })
  if (!r) return sendJson(res, 404, { error: 'no such silence in force or to come' })
  ctx.log(`dashboard: silence ${id} ${r} by ${user.username}: ${reason}`)
  return sendJson(res, 200, { id, status: r })
}

/** instant reads an RFC 3339 string or epoch ms; NaN otherwise, which validateSilence names. */
function instant(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return Date.parse(v)
  return NaN
}

// ---- contacts ----

/** contactRoute answers GET /api/v1/contacts and GET/PUT /api/v1/contacts/:dept/:role (admins). */
async function contactRoute(ctx: Ctx, req: IncomingMessage, res: ServerResponse, rest: string[]): Promise<boolean> {
  const allowed = (u: User) => can(u, 'contacts.manage')
  if (!rest.length) {
    return endpoint(ctx, req, res, 'GET', async (u) => (allowed(u) ? sendJson(res, 200, { contacts: await listContacts(ctx.db) }) : forbidden(res, u, 'read contacts')))
  }
  const [dept, role] = rest as [string, string]
  if (req.method === 'PUT') {
    return endpoint(ctx, req, res, 'PUT', async (u) => {
      if (!allowed(u)) return forbidden(res, u, 'change contacts')
      const body = await readJson(req, res)
      if (!body) return
      try {
        const c = await ctx.db.transaction(async (tx) => {
          const saved = await upsertContact(tx, { dept, role: role as 'duty', name: body.name as string, phone: body.phone as string }, ctx.now())
          // Names and phones are personal data: the trail records who changed which entry, not its content.
          await ctx.audit({ actor: u.username, action: 'contact.updated', subject: `contact:${saved.dept}/${saved.role}`, detail: {} }, tx)
          return saved
        })
        ctx.log(`dashboard: contact ${c.dept}/${c.role} set by ${u.username}`)
        return sendJson(res, 200, c)
      } catch (e) {
        if (e instanceof ContactError) return sendJson(res, 400, { error: e.message, field: e.field })
        throw e
      }
    })
  }
  return endpoint(ctx, req, res, 'GET', async (u) => {
    if (!allowed(u)) return forbidden(res, u, 'read contacts')
    if (role !== 'duty' && role !== 'head') return sendJson(res, 400, { error: 'role must be duty or head', field: 'role' })
    const c = (await contactsOf(ctx.db, dept))[role]
    return c ? sendJson(res, 200, { dept, role, ...c }) : sendJson(res, 404, { error: `no ${role} contact for ${dept}` })
  })
}

// ---- views ----

function threadView(ctx: Ctx, t: StoredThread) {
  const at = (v: number | null) => (v === null ? null : ctx.format(v))
  return {
    id: t.id, caseKind: t.caseKind, caseId: t.caseId, family: t.family, dept: t.dept, level: t.level, state: t.state,
    open: t.closedAt === null, alertKeys: t.alertKeys, shortCode: t.shortCode, escalation: t.escalation,
    openedAt: ctx.format(t.openedAt), updatedAt: ctx.format(t.updatedAt), notifiedAt: at(t.notifiedAt), ackAt: at(t.ackAt),
    rectificationDueAt: at(t.rectificationDueAt), closedAt: at(t.closedAt),
  }
}

function transitionView(ctx: Ctx, h: StoredTransition) {
  return { id: h.id, action: h.action, from: h.from, to: h.to, actor: h.actor, at: ctx.format(h.at), why: h.why, detail: h.detail }
}

function rectificationView(ctx: Ctx, r: Rectification) {
  return {
    id: r.id, text: r.text, submittedBy: r.submittedBy, submittedAt: ctx.format(r.submittedAt),
    attachments: r.attachments.map((a) => ({ ...a, url: `/api/v1/threads/${r.threadId}/attachments/${a.sha256}` })),
  }
}

function silenceView(ctx: Ctx, s: Silence) {
  return { ...s, startsAt: ctx.format(s.startsAt), endsAt: ctx.format(s.endsAt), createdAt: ctx.format(s.createdAt) }
}

// ---- plumbing ----

function actorOf(u: User): Actor {
  return { role: u.role, name: u.username, ...(u.dept ? { dept: u.dept } : {}) }
}

function forbidden(res: ServerResponse, u: User, what: Action | string): void {
  return sendJson(res, 403, { error: `a ${u.role} may not ${what}` })
}

/** endpoint checks the method, then runs fn for the session's user (accounts/gate.ts). */
async function endpoint(ctx: Ctx, req: IncomingMessage, res: ServerResponse, method: HttpMethod, fn: (u: User) => Promise<void>): Promise<true> {
  if (allowMethod(req, res, method)) await withSession(ctx.sessions, req, res, fn)
  return true
}

function optionalText(v: unknown, field: string, max: number): string | undefined | { error: string; field: string } {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || [...v].length > max) return { error: `${field} must be a string of at most ${max} characters`, field }
  return v.trim() || undefined
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

/**
 * readJson reads a JSON object body (an empty body is {}), or answers 415/413/400 and
 * returns null. JSON only: a cross-site form cannot send it without a preflight.
 */
async function readJson(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown> | null> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    sendJson(res, 415, { error: 'send the body as content-type: application/json', field: '(body)' })
    return null
  }
  let text: string
  try {
    text = Buffer.from(await readLimited(req.iterator({ destroyOnReturn: false }), MAX_JSON, 'the body')).toString('utf8')
  } catch (e) {
    if (!(e instanceof AttachmentError)) throw e
    req.resume()
    sendJson(res, 413, { error: `the body is larger than ${MAX_JSON} bytes`, field: '(body)' })
    return null
  }
  if (!text.trim()) return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    sendJson(res, 400, { error: 'the body is not JSON', field: '(body)' })
    return null
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendJson(res, 400, { error: 'the body must be a JSON object', field: '(body)' })
    return null
  }
  return body as Record<string, unknown>
}

function segments(path: string): string[] | null {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return null
  }
}
