/**
 * The SMS gateway: the two calls the outbox sender makes to a provider (send a
 * message, find one already sent), and the one error it understands. Twilio and the
 * console both implement it, so the sender knows nothing of either.
 */

/** SendOptions are per-message extras; statusCallback is where the provider reports delivery. */
export interface SendOptions {
  statusCallback?: string
}

/** SmsGateway sends text messages and finds ones it already sent. */
export interface SmsGateway {
  /** send hands one message to the provider and returns its id there (Twilio: the SM… SID). */
  send(to: string, body: string, opts: SendOptions): Promise<{ sid: string }>
  /** find returns a message to `to` with exactly `body` created at or after `since`, or null. */
  find(to: string, body: string, since: Date): Promise<{ sid: string } | null>
}

/**
 * SendOutcome says what a failed send means for the message:
 * `permanent` — the provider refused it and would refuse it again (bad number, bad credentials);
 * `not_sent` — the provider certainly did not take it (rate limited, connection refused);
 * `unknown` — it may have been taken (timeout, 5xx, connection reset), so look before resending.
 */
export type SendOutcome = 'permanent' | 'not_sent' | 'unknown'

/**
 * SmsSendError is a failed call, with what it means, the provider's error code when it
 * gave one, and, when the provider is rate limiting us, how long it asks us to wait.
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly outcome: SendOutcome,
    readonly code?: number,
    /** set only on a rate limit (HTTP 429): the provider's Retry-After in ms, or the gateway's default wait */
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'SmsSendError'
  }
}

/** outcomeOf reads a thrown value: an SmsSendError says; anything else may have reached the provider. */
export function outcomeOf(err: unknown): SendOutcome {
  return err instanceof SmsSendError ? err.outcome : 'unknown'
}

/** retryAfterOf is how long (ms) a rate-limited provider asks every send to wait, or undefined when it is not rate limiting. */
export function retryAfterOf(err: unknown): number | undefined {
  return err instanceof SmsSendError ? err.retryAfterMs : undefined
}
