/**
 * The SMS sender drains the outbox: claim a due row → look it up at the provider if
 * an earlier attempt may have reached it → send → record the SID. Each message is
 * sent at most once, even across a crash between sending and recording: the claim
 * (status `sending`) is committed before the provider is called, and a row claimed
 * again while still `sending` is looked up before it is sent.
 */
import type { Clock } from '../../common/time/index.ts'
import type { Db, Queryable } from '../../common/db/index.ts'
import { maskPhone } from '../../common/privacy/index.ts'
import { appendAudit } from '../../common/audit/index.ts'
import type { Logger } from '../../common/log/index.ts'
import { outcomeOf, type SmsGateway } from './gateway.ts'
import { claimNext, recordFailed, recordSent, scheduleRetry, type Claimed } from './outbox.ts'

/** SmsSenderOptions wires the sender; only db, gateway, clock and log are required. */
export interface SmsSenderOptions {
  db: Db
  gateway: SmsGateway
  clock: Clock
  log: Logger
  /** public URL of the status callback handler; each message gets it with `?outbox=<id>` */
  statusCallbackUrl?: string
  /** how often to look for due rows (default 1000 ms) */
  pollMs?: number
  /** how long a claimed row is held before another attempt may take it (default 60 s; keep above the API timeout) */
  leaseMs?: number
  /** first retry delay, doubled per attempt (default 2 s), up to maxBackoffMs (default 10 min) */
  backoffMs?: number
  maxBackoffMs?: number
  /** attempts before a message is given up as failed (default 12) */
  maxAttempts?: number
  /** told the outbox id after each attempt was recorded (sent, retried or failed), for live walls */
  onChange?: (id: number) => void
}

/** SmsSender is a running sender. */
export interface SmsSender {
  /** tick sends every row due now, one by one, and returns how many it handled. */
  tick(): Promise<number>
  /** stop ends the loop after the attempt in progress. */
  stop(): Promise<void>
}

/** LOOKUP_SLACK_MS widens the look-up window for clock skew between the database and Twilio. */
const LOOKUP_SLACK_MS = 10 * 60_000
/** MAX_PER_TICK bounds one tick, so that stop() is not held up by a long queue. */
const MAX_PER_TICK = 100

/** startSmsSender starts the polling loop; a row left `sending` by a crash is due again when its lease ends. */
export function startSmsSender(opts: SmsSenderOptions): SmsSender {
  const pollMs = opts.pollMs ?? 1000
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> = Promise.resolve(0)

  const tick = (): Promise<number> => {
    // One tick at a time: a timer tick and a test's tick must not interleave.
    running = running.then(() => drain(opts)).catch((err) => {
      opts.log.error('sms sender: tick failed', { error: (err as Error).message })
      return 0
    })
    return running
  }
  const loop = async () => {
    await tick()
    if (!stopped) timer = setTimeout(loop, pollMs)
  }
  timer = setTimeout(loop, 0)

  return {
    tick,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

async function drain(opts: SmsSenderOptions): Promise<number> {
  let n = 0
  for (; n < MAX_PER_TICK; n++) {
    const now = opts.clock.now()
    const row = await claimNext(opts.db, new Date(now), new Date(now + (opts.leaseMs ?? 60_000)))
    if (!row) break
    await attempt(opts, row)
    opts.onChange?.(row.id)
  }
  return n
}

/** attempt makes one try at a claimed row and records the result. */
async function attempt(opts: SmsSenderOptions, row: Claimed): Promise<void> {
  const { gateway, log } = opts
  const fields = { id: row.id, ref: row.ref, to: row.recipient, attempt: row.attempts }
  try {
    if (row.was === 'sending') {
      const found = await gateway.find(row.recipient, row.body, new Date(row.createdAt.getTime() - LOOKUP_SLACK_MS))
      if (found) {
        await audited(opts, row, (tx) => recordSent(tx, row.id, found.sid), 'sms.sent', { sid: found.sid, foundAfterCrash: true })
        log.info('sms found at the provider from an earlier attempt; not sent again', { ...fields, sid: found.sid })
        return
      }
    }
    const { sid } = await gateway.send(row.recipient, row.body, { statusCallback: callbackFor(opts.statusCallbackUrl, row.id) })
    await audited(opts, row, (tx) => recordSent(tx, row.id, sid), 'sms.sent', { sid })
    log.info('sms sent', { ...fields, sid })
  } catch (err) {
    await onFailure(opts, row, err)
  }
}

/** onFailure fails a row for good, or schedules the next attempt with exponential backoff. */
async function onFailure(opts: SmsSenderOptions, row: Claimed, err: unknown): Promise<void> {
  const message = (err as Error)?.message ?? String(err)
  const outcome = outcomeOf(err)
  const fields = { id: row.id, ref: row.ref, to: row.recipient, attempt: row.attempts, error: message }
  if (outcome === 'permanent') {
    await audited(opts, row, (tx) => recordFailed(tx, row.id, message), 'sms.status', { status: 'failed', error: message })
    opts.log.error('sms refused by the provider; not retried', fields)
    return
  }
  const maxAttempts = opts.maxAttempts ?? 12
  if (row.attempts >= maxAttempts) {
    const error = `gave up after ${row.attempts} attempts: ${message}`
    await audited(opts, row, (tx) => recordFailed(tx, row.id, error), 'sms.status', { status: 'failed', error })
    opts.log.error('sms failed; giving up', fields)
    return
  }
  const at = new Date(opts.clock.now() + backoff(row.attempts, opts.backoffMs ?? 2000, opts.maxBackoffMs ?? 600_000))
  // Only an answer proving the provider lacks the message lets the next attempt skip the look-up.
  await scheduleRetry(opts.db, row.id, outcome === 'not_sent' ? 'pending' : 'sending', at, message)
  opts.log.warn('sms attempt failed; will retry', { ...fields, outcome, next: at.toISOString() })
}

/**
 * audited records an outcome and its audit row in one transaction: the trail says
 * which message went out (number masked) exactly when the outbox does.
 */
async function audited(
  opts: SmsSenderOptions,
  row: Claimed,
  change: (tx: Queryable) => Promise<void>,
  action: 'sms.sent' | 'sms.status',
  detail: Record<string, unknown>,
): Promise<void> {
  await opts.db.transaction(async (tx) => {
    await change(tx)
    await appendAudit(tx, { at: opts.clock.now(), actor: 'sms', action, subject: `sms:${row.id}`, detail: { ref: row.ref, to: maskPhone(row.recipient), ...detail } })
  })
}

/** backoff is the delay after attempt n (1-based): base, 2·base, 4·base, … up to max. */
export function backoff(n: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, n - 1))
}

/** callbackFor adds the outbox id to the status callback URL, so that a callback can find a row before its SID is recorded. */
export function callbackFor(url: string | undefined, id: number): string | undefined {
  if (!url) return undefined
  const u = new URL(url)
  u.searchParams.set('outbox', String(id))
  return u.toString()
}
