/**
 * Retry with exponential backoff, and the rule for which NATS failures are worth
 * retrying (the ones a JetStream leader change or a reconnect produces).
 */
import { errors, RequestError } from '@nats-io/transport-node'

/** RetryOptions tunes withRetry. */
export interface RetryOptions {
  /** Total tries, including the first. */
  attempts?: number
  baseDelayMs?: number
  maxDelayMs?: number
  isRetryable?: (err: unknown) => boolean
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void
  sleep?: (ms: number) => Promise<void>
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** withRetry calls fn until it succeeds, fails with a non-retryable error, or runs out of attempts. */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5
  const base = opts.baseDelayMs ?? 200
  const max = opts.maxDelayMs ?? 3000
  const sleep = opts.sleep ?? realSleep
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (attempt >= attempts || !(opts.isRetryable ?? (() => true))(err)) throw err
      const delayMs = Math.min(max, base * 2 ** (attempt - 1))
      opts.onRetry?.(err, attempt, delayMs)
      await sleep(delayMs)
    }
  }
}

/** isTransientNatsError tells timeouts and "no responders" (JetStream briefly unavailable) from real failures. */
export function isTransientNatsError(err: unknown): boolean {
  if (err instanceof errors.TimeoutError || err instanceof errors.NoRespondersError) return true
  if (err instanceof RequestError && err.isNoResponders()) return true
  if (err instanceof Error) {
    // nats.js wraps "no responders" on a JetStream publish as JetStreamNotEnabled
    // (not exported), which right after a server restart only means "not yet".
    if (err.name === 'JetStreamNotEnabled') return true
    if (err.cause !== undefined && err.cause !== err) return isTransientNatsError(err.cause)
  }
  return false
}
