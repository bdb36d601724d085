/**
 * The Twilio gateway: sends through the official SDK's Messages resource and turns
 * its errors into the sender's three outcomes.
 */
import twilio from 'twilio'
import { SmsSendError, type SendOptions, type SmsGateway } from './gateway.ts'
import { DEFAULT_RETRY_AFTER_MS, RateLimited } from './twilioClient.ts'

/** Sender is who a message comes from: one Twilio number, or a Messaging Service that picks one. */
export type Sender = { from: string } | { messagingServiceSid: string }

/** FIND_LIMIT is how many recent messages to one number a look-up reads: the crash window is minutes. */
const FIND_LIMIT = 100

// Connection errors raised before the request left: Twilio cannot have the message.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/** twilioGateway sends with client as sender; every message carries its StatusCallback. */
export function twilioGateway(client: twilio.Twilio, sender: Sender): SmsGateway {
  return {
    async send(to: string, body: string, opts: SendOptions) {
      try {
        const m = await client.messages.create({ to, body, statusCallback: opts.statusCallback, ...sender })
        return { sid: m.sid }
      } catch (err) {
        throw toSendError(err)
      }
    },

    // Listed by To (and From when fixed), not by DateSent: a message still queued at
    // Twilio has no date_sent yet, and a DateSent filter would miss exactly the
    // message a crash left behind. The creation time is checked here instead.
    async find(to: string, body: string, since: Date) {
      let list: Awaited<ReturnType<typeof client.messages.list>>
      try {
        list = await client.messages.list({ to, ...('from' in sender ? { from: sender.from } : {}), limit: FIND_LIMIT })
      } catch (err) {
        throw toSendError(err)
      }
      const m = list.find(
        (x) =>
          x.body === body &&
          x.dateCreated.getTime() >= since.getTime() &&
          ('messagingServiceSid' in sender ? x.messagingServiceSid === sender.messagingServiceSid : true),
      )
      return m ? { sid: m.sid } : null
    },
  }
}

/**
 * toSendError classifies an SDK error: 429 not sent (with Twilio's Retry-After), other
 * 4xx permanent, 5xx and network errors unknown.
 */
export function toSendError(err: unknown): SmsSendError {
  if (err instanceof twilio.RestException) {
    const text = `twilio ${err.status}${err.code ? ` code ${err.code}` : ''}: ${err.message}`
    if (err.status === 429) return new SmsSendError(text, 'not_sent', err.code, err instanceof RateLimited ? err.retryAfterMs : DEFAULT_RETRY_AFTER_MS)
    if (err.status >= 400 && err.status < 500) return new SmsSendError(text, 'permanent', err.code)
    return new SmsSendError(text, 'unknown', err.code)
  }
  const e = err as { code?: string; message?: string }
  const text = `twilio request: ${e.code ? `${e.code} ` : ''}${e.message ?? String(err)}`
  return new SmsSendError(text, e.code && NOT_SENT_CODES.has(e.code) ? 'not_sent' : 'unknown')
}
