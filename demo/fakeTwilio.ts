/**
 * Test support: a fake Twilio, the part of the 2010-04-01 REST API the platform uses
 * (create, list and fetch Messages), on node:http. It checks basic auth and the
 * create parameters as Twilio does, records everything, can fail the next requests
 * (500, 429, a hang), answer after a latency and rate-limit creations as Twilio does
 * (429 with Retry-After), and plays Twilio's side of the webhooks: status callbacks to a
 * message's StatusCallback and inbound texts, signed with X-Twilio-Signature. For
 * demos it can also play the contacts, answering `确认 <code>` to some delivered texts.
 *
 * The signature is computed here from Twilio's description (HMAC-SHA1 of the URL
 * and the sorted POST parameters, base64, keyed with the auth token), not with the
 * SDK's helper, so that the SDK's validateRequest checks it independently.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** FAKE_ACCOUNT_SID and FAKE_AUTH_TOKEN are the default credentials the fake accepts. */
export const FAKE_ACCOUNT_SID = 'AC00000000000000000000000000000001'
export const FAKE_AUTH_TOKEN = 'fake-twilio-auth-token-0123456789'

/** FakeMessage is a message as the fake keeps it. */
export interface FakeMessage {
  sid: string
  to: string
  from: string | null
  messagingServiceSid: string | null
  body: string
  statusCallback: string | null
  status: string
  errorCode: number | null
  dateCreated: Date
  dateSent: Date | null
  dateUpdated: Date
}

/** RecordedRequest is one API request the fake answered (or is hanging on). */
export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  form: Record<string, string>
  status: number | 'hang'
  /** when the request arrived and when it was answered (epoch ms; answeredAt unset while hanging) */
  at: number
  answeredAt?: number
}

/**
 * Failure is how to fail a request: an HTTP status, a Twilio error (with a Retry-After
 * header if given), or a hang with or without creating the message first.
 */
export type Failure = 500 | 503 | 429 | 'hang' | 'hang-after-create' | { status: number; code: number; message: string; retryAfter?: string }

/** DeliveryStep is a status Twilio reports to a StatusCallback. */
export type DeliveryStep = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed'

/** FakeTwilioOptions: credentials, and what to do without being told. */
export interface FakeTwilioOptions {
  accountSid?: string
  authToken?: string
  host?: string
  port?: number
  /** our Twilio number: the To of inbound texts */
  number?: string
  /** where inbound texts are posted */
  inboundUrl?: string
  /** report every created message automatically: sent, then outcome, delayMs apart */
  autoDeliver?: { outcome: 'delivered' | 'undelivered' | 'failed'; delayMs?: number }
  /**
   * play the contacts: delayMs after a message that asks for `确认 <code>` is delivered, post
   * that reply from its recipient to url, once, for the share (0–1) of bodies repliesTo picks
   */
  autoReply?: { share: number; delayMs: number; url: string }
  /** proxy maps a webhook URL to where it is really posted (a reverse proxy in front of our server); the signature stays on the URL */
  proxy?: (url: string) => string
  /** how many messages and requests to remember, oldest dropped first (default 10 000: a demo may run for days) */
  keep?: number
  /** answer each API request this long after it arrived, as a distant API does (default 0) */
  latencyMs?: number
  /**
   * Twilio's rate limit: at most perSecond message creations in any second; the rest
   * are refused with 429 code 20429 and `Retry-After: retryAfterS` (default 1)
   */
  rateLimit?: { perSecond: number; retryAfterS?: number }
}

/** WebhookAnswer is how our server answered a webhook the fake posted. */
export interface WebhookAnswer {
  status: number
  contentType: string | null
  body: string
}

/** FakeTwilio is a running fake. */
export interface FakeTwilio {
  /** url is the base URL to rewrite `https://api.twilio.com` to */
  readonly url: string
  readonly accountSid: string
  readonly authToken: string
  /** messages created, oldest first */
  readonly messages: FakeMessage[]
  readonly requests: RecordedRequest[]
  /** replyFailures counts automatic replies that our server refused or did not take (they are not retried) */
  readonly replyFailures: number
  /** rateLimited counts creations refused by the rateLimit option */
  readonly rateLimited: number
  /** failNext fails the next n message creations (or, with on 'any', any API requests). */
  failNext(n: number, failure: Failure, on?: 'create' | 'any'): void
  /** deliver moves a message through steps, posting a signed callback for each; returns our answers' statuses. */
  deliver(sid: string, steps?: DeliveryStep[], errorCode?: number): Promise<number[]>
  /** replayCallback posts a callback for a past status without changing the message: a late or repeated report. */
  replayCallback(sid: string, status: DeliveryStep): Promise<number>
  /** sendInbound posts a signed inbound text, as when a contact replies to our number. */
  sendInbound(msg: { from: string; body: string; to?: string; url?: string }): Promise<WebhookAnswer>
  /** signature computes X-Twilio-Signature for a URL and POST parameters. */
  signature(url: string, params: Record<string, string>): string
  close(): Promise<void>
}

const API = '/2010-04-01/Accounts/'
const E164 = /^\+[1-9]\d{7,14}$/

/** startFakeTwilio listens on a free port of 127.0.0.1 unless told otherwise. */
export async function startFakeTwilio(opts: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = opts.accountSid ?? FAKE_ACCOUNT_SID
  const authToken = opts.authToken ?? FAKE_AUTH_TOKEN
  const messages: FakeMessage[] = []
  const requests: RecordedRequest[] = []
  const failures: { failure: Failure; on: 'create' | 'any' }[] = []
  const timers = new Set<NodeJS.Timeout>()
  const answered = new WeakSet<FakeMessage>()
  let replyFailures = 0
  let rateLimited = 0
  /** arrival times of the creations in the last second, for the rateLimit option */
  const recentCreates: number[] = []
  let closed = false
  const signature = (url: string, params: Record<string, string>) => sign(authToken, url, params)
  const keep = opts.keep ?? 10_000
  const bounded = <T>(list: T[], item: T) => {
    list.push(item)
    if (list.length > keep) list.splice(0, list.length - keep)
  }

  const api = new Api(accountSid, authToken, messages, (m) => {
    bounded(messages, m)
    autoDeliver(m)
  })
  const server = createServer((req, res) => {
    void handle(req, res).catch((err) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err))
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://fake')
    const form = req.method === 'POST' ? Object.fromEntries(new URLSearchParams(await readBody(req))) : {}
    const rec: RecordedRequest = { method: req.method ?? '', path: u.pathname, query: Object.fromEntries(u.searchParams), form, status: 0, at: Date.now() }
    bounded(requests, rec)
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      rec.status = status
      rec.answeredAt = Date.now()
      json(res, status, body, headers)
    }
    const isCreate = req.method === 'POST' && /\/Messages\.json$/.test(u.pathname)
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs))
    if (isCreate && opts.rateLimit && overLimit(opts.rateLimit.perSecond)) {
      rateLimited++
      return answer(429, twilioError(429, 20429, 'Too Many Requests'), { 'retry-after': String(opts.rateLimit.retryAfterS ?? 1) })
    }
    const i = failures.findIndex((f) => f.on === 'any' || isCreate)
    if (i >= 0) {
      const { failure } = failures.splice(i, 1)[0]!
      if (failure === 'hang' || failure === 'hang-after-create') {
        if (failure === 'hang-after-create') api.handle(req, u, form)
        rec.status = 'hang'
        return // the socket stays open until the client gives up or the fake closes
      }
      const e = typeof failure === 'number' ? { status: failure, code: failure === 429 ? 20429 : 20500, message: failure === 429 ? 'Too Many Requests' : 'Internal Server Error' } : failure
      const retryAfter = typeof failure === 'object' ? failure.retryAfter : e.status === 429 ? '1' : undefined
      return answer(e.status, twilioError(e.status, e.code, e.message), retryAfter ? { 'retry-after': retryAfter } : {})
    }
    const out = api.handle(req, u, form)
    answer(out.status, out.body)
  }

  // A sliding one-second window: a creation over the limit is refused and does not count.
  function overLimit(perSecond: number): boolean {
    const now = Date.now()
    while (recentCreates.length && recentCreates[0]! <= now - 1000) recentCreates.shift()
    if (recentCreates.length >= perSecond) return true
    recentCreates.push(now)
    return false
  }

  function autoDeliver(m: FakeMessage): void {
    const a = opts.autoDeliver
    if (!a || !m.statusCallback) return
    const steps: DeliveryStep[] = ['sent', a.outcome]
    const next = () => {
      const step = steps.shift()
      if (!step) return
      const t = setTimeout(() => {
        timers.delete(t)
        void fake.deliver(m.sid, [step], a.outcome === 'delivered' ? undefined : 30003).then(next, next)
      }, a.delayMs ?? 50)
      timers.add(t)
    }
    next()
  }

  function autoReply(m: FakeMessage): void {
    const a = opts.autoReply
    const code = replyCode(m.body)
    if (!a || !code || closed || answered.has(m) || !repliesTo(m.body, a.share)) return
    answered.add(m)
    const t = setTimeout(() => {
      timers.delete(t)
      // A busy or stopped server must not crash the demo: count the failure and move on.
      fake.sendInbound({ from: m.to, to: m.from ?? undefined, body: `确认 ${code}`, url: a.url }).then(
        (r) => {
          if (r.status >= 400) replyFailures++
        },
        () => {
          replyFailures++
        },
      )
    }, a.delayMs)
    timers.add(t)
  }

  async function post(url: string, params: Record<string, string>): Promise<WebhookAnswer> {
    const res = await fetch(opts.proxy ? opts.proxy(url) : url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-twilio-signature': signature(url, params),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
    })
    return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() }
  }

  const callback = async (m: FakeMessage, status: DeliveryStep, errorCode?: number): Promise<number> => {
    if (!m.statusCallback) throw new Error(`fake twilio: message ${m.sid} has no StatusCallback`)
    const params: Record<string, string> = {
      AccountSid: accountSid, ApiVersion: '2010-04-01', MessageSid: m.sid, SmsSid: m.sid, MessageStatus: status, SmsStatus: status, To: m.to,
      ...(m.from ? { From: m.from } : {}),
      ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
      ...(errorCode && (status === 'failed' || status === 'undelivered') ? { ErrorCode: String(errorCode) } : {}),
    }
    return (await post(m.statusCallback, params)).status
  }

  // Idle connections outlive the client's own idle timeout (5 s in node's agent), as at a
  // real API: otherwise both close at once and a request sent on a closing one is reset.
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const fake: FakeTwilio = {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    accountSid,
    authToken,
    messages,
    requests,
    get replyFailures() {
      return replyFailures
    },
    get rateLimited() {
      return rateLimited
    },
    failNext(n, failure, on = 'create') {
      for (let k = 0; k < n; k++) failures.push({ failure, on })
    },
    async deliver(sid, steps = ['sent', 'delivered'], errorCode = 30003) {
      const m = api.find(sid)
      const answers: number[] = []
      for (const s of steps) {
        m.status = s
        m.dateUpdated = new Date()
        if (s === 'sent' && !m.dateSent) m.dateSent = m.dateUpdated
        if (s === 'failed' || s === 'undelivered') m.errorCode = errorCode
        if (s === 'delivered') autoReply(m)
        answers.push(await callback(m, s, errorCode))
      }
      return answers
    },
    replayCallback: (sid, status) => callback(api.find(sid), status),
    async sendInbound(msg) {
      const url = msg.url ?? opts.inboundUrl
      if (!url) throw new Error('fake twilio: no inbound URL configured')
      const sid = newSid('SM')
      return post(url, {
        AccountSid: accountSid, ApiVersion: '2010-04-01', MessageSid: sid, SmsMessageSid: sid, SmsSid: sid, SmsStatus: 'received',
        From: msg.from, To: msg.to ?? opts.number ?? '+15005550006', Body: msg.body, NumMedia: '0', NumSegments: String(segments(msg.body)),
        FromCountry: msg.from.startsWith('+86') ? 'CN' : 'US', ToCountry: 'US',
      })
    },
    signature,
    async close() {
      closed = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return fake
}

/** sign computes X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the URL followed by each POST parameter's name and value, sorted by name. */
export function sign(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url)
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64')
}

/** replyCode is the code a message asks to be answered with (`…回复"确认 K7Q2"…`, alerts/notify/text.ts), or null. */
export function replyCode(body: string): string | null {
  return /回复\s*["“]?确认\s*([0-9A-Za-z]+)/.exec(body)?.[1] ?? null
}

/** repliesTo picks a share (0–1) of bodies by their hash, so a demo run answers the same texts every time. */
export function repliesTo(body: string, share: number): boolean {
  return createHash('sha256').update(body).digest().readUInt32BE(0) / 2 ** 32 < share
}

interface Answer {
  status: number
  body: unknown
}

/** Api answers the Messages resource. */
class Api {
  constructor(
    private readonly accountSid: string,
    private readonly authToken: string,
    private readonly messages: FakeMessage[],
    /** created stores a new message */
    private readonly created: (m: FakeMessage) => void,
  ) {}

  handle(req: IncomingMessage, u: URL, form: Record<string, string>): Answer {
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/.exec(u.pathname)
    if (!m) return { status: 404, body: twilioError(404, 20404, 'The requested resource was not found') }
    if (!this.authorized(req.headers.authorization)) return { status: 401, body: twilioError(401, 20003, 'Authenticate') }
    if (m[1] !== this.accountSid) return { status: 404, body: twilioError(404, 20404, `The requested resource ${u.pathname} was not found`) }
    if (m[2]) {
      if (req.method !== 'GET') return { status: 405, body: twilioError(405, 20004, 'Method not allowed') }
      const msg = this.messages.find((x) => x.sid === m[2])
      return msg ? { status: 200, body: this.json(msg) } : { status: 404, body: twilioError(404, 20404, `The requested resource ${u.pathname} was not found`) }
    }
    if (req.method === 'POST') return this.create(form)
    if (req.method === 'GET') return this.list(u)
    return { status: 405, body: twilioError(405, 20004, 'Method not allowed') }
  }

  find(sid: string): FakeMessage {
    const m = this.messages.find((x) => x.sid === sid)
    if (!m) throw new Error(`fake twilio: no message ${sid}`)
    return m
  }

  private authorized(header: string | undefined): boolean {
    const m = /^Basic (.+)$/.exec(header ?? '')
    return !!m && Buffer.from(m[1]!, 'base64').toString('utf8') === `${this.accountSid}:${this.authToken}`
  }

  private create(f: Record<string, string>): Answer {
    const bad = (code: number, message: string): Answer => ({ status: 400, body: twilioError(400, code, message) })
    if (!f.To) return bad(21604, "A 'To' phone number is required.")
    if (!f.From && !f.MessagingServiceSid) return bad(21603, "A 'From' phone number is required.")
    if (!f.Body && !f.MediaUrl && !f.ContentSid) return bad(21602, 'Message body is required.')
    if (!E164.test(f.To)) return bad(21211, `Invalid 'To' Phone Number: ${f.To}`)
    if (f.From && !E164.test(f.From)) return bad(21212, `Invalid From Number (caller ID): ${f.From}`)
    if (f.MessagingServiceSid && !/^MG[0-9a-f]{32}$/.test(f.MessagingServiceSid)) return bad(21701, 'The Messaging Service Sid is invalid.')
    if ((f.Body ?? '').length > 1600) return bad(21617, 'The concatenated message body exceeds the 1600 character limit.')
    if (f.StatusCallback && !validUrl(f.StatusCallback)) return bad(21609, `Invalid StatusCallback url: ${f.StatusCallback}`)
    const now = new Date()
    const msg: FakeMessage = {
      sid: newSid('SM'), to: f.To, from: f.From ?? null, messagingServiceSid: f.MessagingServiceSid ?? null, body: f.Body ?? '',
      statusCallback: f.StatusCallback ?? null, status: f.From ? 'queued' : 'accepted', errorCode: null,
      dateCreated: now, dateSent: null, dateUpdated: now,
    }
    this.created(msg)
    return { status: 201, body: this.json(msg) }
  }

  /** list filters by To, From and DateSent (=, < meaning on or before, > meaning on or after), newest first, paged. */
  private list(u: URL): Answer {
    const q = u.searchParams
    const size = Math.min(1000, Math.max(1, Number(q.get('PageSize') ?? 50) || 50))
    const page = Math.max(0, Number(q.get('Page') ?? 0) || 0)
    const to = q.get('To')
    const from = q.get('From')
    const on = dayOrInstant(q.get('DateSent'))
    const before = dayOrInstant(q.get('DateSent<'))
    const after = dayOrInstant(q.get('DateSent>'))
    const hits = this.messages
      .filter((m) => (!to || m.to === to) && (!from || m.from === from))
      .filter((m) => {
        if (!on && !before && !after) return true
        const t = m.dateSent?.getTime()
        if (t === undefined) return false // not sent yet: no date_sent to match
        return (!on || (t >= on.start && t < on.end)) && (!before || t < before.end) && (!after || t >= after.start)
      })
      .reverse()
    const items = hits.slice(page * size, (page + 1) * size)
    const base = `${API}${this.accountSid}/Messages.json`
    const pageUri = (p: number) => {
      const params = new URLSearchParams([...q.entries()].filter(([k]) => k !== 'Page' && k !== 'PageToken'))
      params.set('PageSize', String(size))
      params.set('Page', String(p))
      if (p > 0) params.set('PageToken', `PASM${String(p).padStart(32, '0')}`)
      return `${base}?${params}`
    }
    return {
      status: 200,
      body: {
        messages: items.map((m) => this.json(m)),
        page,
        page_size: size,
        start: page * size,
        end: page * size + Math.max(0, items.length - 1),
        uri: pageUri(page),
        first_page_uri: pageUri(0),
        previous_page_uri: page > 0 ? pageUri(page - 1) : null,
        next_page_uri: (page + 1) * size < hits.length ? pageUri(page + 1) : null,
      },
    }
  }

  private json(m: FakeMessage): Record<string, unknown> {
    const uri = `${API}${this.accountSid}/Messages/${m.sid}.json`
    return {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body: m.body,
      date_created: rfc2822(m.dateCreated),
      date_sent: m.dateSent ? rfc2822(m.dateSent) : null,
      date_updated: rfc2822(m.dateUpdated),
      direction: 'outbound-api',
      error_code: m.errorCode,
      error_message: null,
      from: m.from,
      messaging_service_sid: m.messagingServiceSid,
      num_media: '0',
      num_segments: String(segments(m.body)),
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: uri.replace(/\.json$/, '/Media.json'), feedback: uri.replace(/\.json$/, '/Feedback.json') },
      to: m.to,
      uri,
    }
  }
}

function twilioError(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c)
  return Buffer.concat(chunks).toString('utf8')
}

function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex')
}

function validUrl(s: string): boolean {
  try {
    const u = new URL(s)
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.hostname.includes('_')
  } catch {
    return false
  }
}

/** rfc2822 formats a time as Twilio does: `Tue, 02 Jan 2024 03:04:05 +0000`. */
function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000')
}

/** dayOrInstant reads a DateSent filter: `YYYY-MM-DD` is that whole UTC day, a full timestamp is one instant. */
function dayOrInstant(v: string | null): { start: number; end: number } | null {
  if (!v) return null
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const start = Date.parse(`${v}T00:00:00Z`)
    return { start, end: start + 86_400_000 }
  }
  const t = Date.parse(v)
  return Number.isNaN(t) ? null : { start: t, end: t + 1 }
}

/** segments counts SMS parts: 160/153 characters in GSM-7, 70/67 in UCS-2 (any Chinese text). */
function segments(body: string): number {
  const gsm = /^[\x20-\x7e\n\r]*$/.test(body)
  const [single, multi] = gsm ? [160, 153] : [70, 67]
  return body.length <= single ? 1 : Math.ceil(body.length / multi)
}
