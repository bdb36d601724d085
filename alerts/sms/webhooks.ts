/**
 * Twilio's webhooks: delivery status callbacks for the messages we send, and text
 * messages sent to our number (a contact acknowledging a card by reply). Both are
 * plain node:http handlers, to be mounted by the platform, and both check
 * `X-Twilio-Signature` against the public URL Twilio was given: behind a proxy the
 * Host the server sees is not the one Twilio signed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import twilio from 'twilio'
import type { Db } from '../../common/db/index.ts'
import { appendAudit } from '../../common/audit/index.ts'
import type { Logger } from '../../common/log/index.ts'
import { applyDeliveryReport, type DeliveryReport } from './outbox.ts'
import { readBody } from '../../common/http/index.ts'

/** STATUS_PATH and INBOUND_PATH are the suggested mount points of the two handlers. */
export const STATUS_PATH = '/twilio/sms/status'
export const INBOUND_PATH = '/twilio/sms/inbound'

/** Handler is a node:http request handler. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/** WebhookOptions: the auth token that signs requests, and the public base URL (scheme, host, any path prefix). */
export interface WebhookOptions {
  authToken: string
  /** e.g. `https://jiancha.example.gov.cn`; the request path and query are appended to it */
  publicBaseUrl: string
  log: Logger
}

/** AckResult is what onAck made of a reply. */
export type AckResult = 'acknowledged' | 'unknown_code' | 'not_a_contact' | 'already'

/** OnAck acknowledges a card by the code in a contact's reply. */
export type OnAck = (ack: { code: string; from: string }) => Promise<AckResult>

const MAX_BODY = 64 * 1024

/** statusUrl is the StatusCallback URL to give Twilio for a public base URL. */
export function statusUrl(publicBaseUrl: string): string {
  return publicBaseUrl.replace(/\/+$/, '') + STATUS_PATH
}

/** statusCallbackHandler records Twilio's delivery reports; a report never moves a message back. */
export function statusCallbackHandler(opts: WebhookOptions & { db: Db; now?: () => number; onChange?: (id: number) => void }): Handler {
  const now = opts.now ?? Date.now
  return async (req, res) => {
    const params = await signedParams(req, res, opts)
    if (!params) return
    const report = reportOf(params, new URL(req.url ?? '/', 'http://x').searchParams.get('outbox'))
    if (report) {
      try {
        // The report and its audit row commit together; a report that changes nothing is not audited.
        const changed = await opts.db.transaction(async (tx) => {
          const id = await applyDeliveryReport(tx, report)
          if (id !== null) {
            await appendAudit(tx, { at: now(), actor: 'twilio', action: 'sms.status', subject: `sms:${id}`, detail: { sid: report.sid, status: report.status, ...(report.error ? { error: report.error } : {}) } })
          }
          return id
        })
        opts.log.debug('sms status', { sid: report.sid, status: report.status, changed })
        if (changed !== null) opts.onChange?.(changed)
      } catch (err) {
        // 500 makes Twilio log the failure; the next report (or none) decides the row.
        opts.log.error('sms status: recording failed', { sid: report.sid, error: (err as Error).message })
        return reply(res, 500, 'text/plain', 'error')
      }
    }
    reply(res, 204)
  }
}

/** reportOf maps Twilio's MessageStatus to an outbox state; states before `sent` (queued, accepted…) count as sent. */
export function reportOf(p: Record<string, string>, outbox: string | null): DeliveryReport | null {
  const sid = p.MessageSid ?? p.SmsSid
  const s = p.MessageStatus ?? p.SmsStatus
  if (!sid || !s) return null
  const status = s === 'delivered' || s === 'read' ? 'delivered' : s === 'undelivered' ? 'undelivered' : s === 'failed' || s === 'canceled' ? 'failed' : 'sent'
  const error = p.ErrorCode ? `twilio error ${p.ErrorCode}${p.ErrorMessage ? `: ${p.ErrorMessage}` : ''}` : undefined
  const id = outbox && /^\d+$/.test(outbox) ? Number(outbox) : undefined
  return { sid, id, status, error }
}

/** inboundSmsHandler answers a text to our number: `确认 <code>` / `ACK <code>` acknowledges a card, anything else gets help. */
export function inboundSmsHandler(opts: WebhookOptions & { onAck: OnAck }): Handler {
  return async (req, res) => {
    const params = await signedParams(req, res, opts)
    if (!params) return
    const from = params.From ?? ''
    const code = ackCode(params.Body ?? '')
    let text = HELP
    if (code) {
      try {
        text = ackReply(await opts.onAck({ code, from }), code)
        opts.log.info('sms acknowledgement', { from, code, sid: params.MessageSid })
      } catch (err) {
        opts.log.error('sms acknowledgement failed', { from, code, error: (err as Error).message })
        text = '系统暂时无法处理，请稍后重发。'
      }
    }
    reply(res, 200, 'text/xml; charset=utf-8', twiml(text))
  }
}

/** HELP is the reply to a text that is not an acknowledgement. */
export const HELP = '电子监察：签收督办提醒请回复“确认 确认码”，例如：确认 AB12'

/**
 * ackCode reads `确认 AB12`, `确认AB12` or `ACK ab12` (any case; full-width letters,
 * spaces and colons allowed) and returns the code in upper case, or null.
 */
export function ackCode(body: string): string | null {
  const m = /^(?:确认[\s:]*|ack[\s:]+)([a-z0-9]+)$/i.exec(body.normalize('NFKC').trim())
  return m ? m[1]!.toUpperCase() : null
}

function ackReply(result: AckResult, code: string): string {
  switch (result) {
    case 'acknowledged':
      return `已确认（${code}），谢谢。请尽快办理。`
    case 'already':
      return `确认码 ${code} 已确认过，无需重复回复。`
    case 'unknown_code':
      return `未找到确认码 ${code}，请核对后重新回复。`
    case 'not_a_contact':
      return `本号码不是该事项登记的联系人，无法确认 ${code}。`
  }
}

/** twiml is a Messaging TwiML answer with one reply message. */
export function twiml(text: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(text)}</Message></Response>`
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
}

/**
 * signedParams reads a POSTed form and checks its signature; on failure it has
 * answered (405, 413, 403) and returns null.
 */
async function signedParams(req: IncomingMessage, res: ServerResponse, opts: WebhookOptions): Promise<Record<string, string> | null> {
  if (req.method !== 'POST') {
    reply(res, 405, 'text/plain', 'method not allowed')
    return null
  }
  const body = await readBody(req, MAX_BODY)
  if (body === null) {
    reply(res, 413, 'text/plain', 'too large')
    return null
  }
  const params = Object.fromEntries(new URLSearchParams(body))
  const url = opts.publicBaseUrl.replace(/\/+$/, '') + (req.url ?? '/')
  const signature = header(req, 'x-twilio-signature')
  if (!signature || !twilio.validateRequest(opts.authToken, signature, url, params)) {
    opts.log.warn('twilio webhook: bad signature', { url })
    reply(res, 403, 'text/plain', 'forbidden')
    return null
  }
  return params
}


function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function reply(res: ServerResponse, status: number, contentType?: string, body?: string): void {
  res.writeHead(status, contentType ? { 'content-type': contentType } : {})
  res.end(body)
}
