/**
 * The SMS sender drains the outbox: claim a batch of due rows → for each, look it up
 * at the provider if an earlier attempt may have reached it → send → record the SID.
 * Each message is sent at most once, even across a crash between sending and
 * recording: the claim (status `sending`) is committed before the provider is called,
 * and a row claimed again while still `sending` is looked up before it is sent.
 *
 * To keep up with a city's cards it claims many rows in one statement, keeps several
 * requests in flight, records the results of those that finished together (one
 * transaction for the rows and their audit rows), and claims again at once while rows
 * are due. A 429 from the provider pauses every send for its Retry-After.
 */
import type { Clock } from '../../common/time/index.ts'
import type { Db } from '../../common/db/index.ts'
import { maskPhone } from '../../common/privacy/index.ts'
import { appendAudits, type AuditInput } from '../../common/audit/index.ts'
import type { Logger } from '../../common/log/index.ts'
import { outcomeOf, retryAfterOf, type SmsGateway } from './gateway.ts'
import { type Attempted, claimDue, type Claimed, recordAttempts } from './outbox.ts'

/** SmsSenderOptions wires the sender; only db, gateway, clock and log are required. */
export interface SmsSenderOptions {
  db: Db
  gateway: SmsGateway
  clock: Clock
  log: Logger
  /** public URL of the status callback handler; each message gets it with `?outbox=<id>` */
  statusCallbackUrl?: string
  /** how often to look for due rows when none were due (default 1000 ms) */
  pollMs?: number
  /** how long a claimed row is held before another attempt may take it (default 60 s; keep above the API timeout) */
  leaseMs?: number
  /** first retry delay, doubled per attempt (default 2 s), up to maxBackoffMs (default 10 min) */
  backoffMs?: number
  maxBackoffMs?: number
  /** attempts before a message is given up as failed (default 12) */
  maxAttempts?: number
  /** requests to the provider in flight at once (default 8) */
  concurrency?: number
  /** rows one claim takes (default 64) */
  batch?: number
  /** told the outbox id after each attempt was recorded (sent, retried or failed), for live walls */
  onChange?: (id: number) => void
  /** told each failure of a pass (the database or the provider gone), for health reports */
  onError?: (error: Error) => void
}

/** SmsSender is a running sender. */
export interface SmsSender {
  /** tick sends every row due now, batch after batch, and returns how many rows it handled. */
  tick(): Promise<number>
  /** stop ends the loop once the requests in flight are answered and recorded; rows claimed and not tried are given back. */
  stop(): Promise<void>
}

/** LOOKUP_SLACK_MS widens the look-up window for clock skew between the database and Twilio. */
const LOOKUP_SLACK_MS = 10 * 60_000
/**
 * SEND_BUDGET_MS is the longest one provider call may take (the API timeout, 10 s, and
 * slack): a row is only sent while that much of its lease is left, so that no other
 * sender can take it while the call may still reach the provider.
 */
export const SEND_BUDGET_MS = 15_000
/** MAX_PAUSE_MS bounds the pause a provider's Retry-After asks for. */
const MAX_PAUSE_MS = 60_000
/** MAX_IDLE_MS bounds the wait after failed passes, which doubles from pollMs. */
const MAX_IDLE_MS = 30_000

/** startSmsSender starts the loop; a row left `sending` by a crash is due again when its lease ends. */
export function startSmsSender(opts: SmsSenderOptions): SmsSender {
  const pollMs = opts.pollMs ?? 1000
  const naps = new Naps()
  const state: SenderState = { stopped: false, pausedUntil: 0, naps }
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> = Promise.resolve(0)
  let failures = 0

  const tick = (): Promise<number> => {
    // One pass at a time: a timer pass and a test's tick must not interleave.
    running = running.then(() => drain(opts, state)).then(
      (n) => {
        failures = 0
        return n
      },
      (err: unknown) => {
        failures++
        opts.log.error('sms sender: pass failed; will retry', { error: (err as Error).message, failures })
        opts.onError?.(err as Error)
        return 0
      },
    )
    return running
  }
  const loop = async () => {
    await tick()
    // After failures (the database gone), wait longer each time instead of hammering it.
    if (!state.stopped) timer = setTimeout(loop, failures ? Math.min(MAX_IDLE_MS, pollMs * 2 ** failures) : pollMs)
  }
  timer = setTimeout(loop, 0)

  return {
    tick,
    async stop() {
      state.stopped = true
      clearTimeout(timer)
      naps.wakeAll()
      await running
    },
  }
}

interface SenderState {
  stopped: boolean
  /** real time (Date.now) before which no request is sent: the provider asked us to wait */
  pausedUntil: number
  naps: Naps
}

/** drain claims and sends batch after batch while rows are due. */
async function drain(opts: SmsSenderOptions, state: SenderState): Promise<number> {
  const batch = opts.batch ?? 64
  let n = 0
  while (!state.stopped) {
    await untilUnpaused(state)
    if (state.stopped) break
    const now = opts.clock.now()
    const rows = await claimDue(opts.db, new Date(now), new Date(now + (opts.leaseMs ?? 60_000)), batch)
    if (!rows.length) break
    n += rows.length
    const settled = await sendBatch(opts, state, rows)
    // A batch that only failed waits for the next poll: the provider (or the network) is
    // down, and on a fast demo clock the retries would be due again at once.
    if (rows.length < batch || settled === 0) break
  }
  return n
}

/**
 * sendBatch attempts the claimed rows with at most `concurrency` requests in flight and
 * records the results as they come, whatever has finished in one transaction. If
 * recording fails, nothing more is sent: the rows stay `sending` and are looked up
 * when their lease ends. Returns how many rows it settled (sent or failed for good).
 */
async function sendBatch(opts: SmsSenderOptions, state: SenderState, rows: Claimed[]): Promise<number> {
  const claimedAt = Date.now()
  const leaseMs = opts.leaseMs ?? 60_000
  const recorder = new Recorder(opts)
  let settled = 0
  let next = 0
  const worker = async () => {
    for (;;) {
      const row = rows[next++]
      if (!row) return
      await untilUnpaused(state)
      // Stopped, recording broken, or too little lease left for a call: give the row back untried.
      const late = Date.now() - claimedAt + SEND_BUDGET_MS > leaseMs
      if (state.stopped || recorder.broken || late) {
        if (late) opts.log.debug('sms: too little of the lease left for a call; given back', { id: row.id })
        recorder.add(row, { id: row.id, result: 'released', was: row.was })
        continue
      }
      const [result, audit] = await attempt(opts, state, row)
      if (result.result === 'sent' || result.result === 'failed') settled++
      recorder.add(row, result, audit)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 8, rows.length)) }, worker))
  await recorder.done()
  return settled
}

/** attempt makes one try at a claimed row and says what became of it, with the audit row that goes with it. */
async function attempt(opts: SmsSenderOptions, state: SenderState, row: Claimed): Promise<[Attempted, Audited?]> {
  const { gateway, log } = opts
  const fields = { id: row.id, ref: row.ref, to: row.recipient, attempt: row.attempts }
  let looking = row.was === 'sending'
  try {
    if (looking) {
      const found = await gateway.find(row.recipient, row.body, new Date(row.createdAt.getTime() - LOOKUP_SLACK_MS))
      looking = false
      if (found) {
        log.info('sms found at the provider from an earlier attempt; not sent again', { ...fields, sid: found.sid })
        return [{ id: row.id, result: 'sent', sid: found.sid }, audited(opts, row, 'sms.sent', { sid: found.sid, foundAfterCrash: true })]
      }
    }
    const { sid } = await gateway.send(row.recipient, row.body, { statusCallback: callbackFor(opts.statusCallbackUrl, row.id) })
    log.info('sms sent', { ...fields, sid })
    return [{ id: row.id, result: 'sent', sid }, audited(opts, row, 'sms.sent', { sid })]
  } catch (err) {
    return onFailure(opts, state, row, err, looking)
  }
}

/** onFailure fails a row for good, or puts it back with exponential backoff (at least the provider's Retry-After). */
function onFailure(opts: SmsSenderOptions, state: SenderState, row: Claimed, err: unknown, lookingUp: boolean): [Attempted, Audited?] {
  const message = (err as Error)?.message ?? String(err)
  // A failed look-up proves nothing about the message: it stays `sending`, to be looked up again.
  const outcome = lookingUp ? 'unknown' : outcomeOf(err)
  const fields = { id: row.id, ref: row.ref, to: row.recipient, attempt: row.attempts, error: message }
  const retryAfter = retryAfterOf(err)
  if (retryAfter !== undefined) {
    const until = Date.now() + Math.min(MAX_PAUSE_MS, retryAfter)
    if (until > state.pausedUntil) {
      state.pausedUntil = until
      opts.log.warn('sms provider asks us to slow down; pausing sends', { ms: until - Date.now() })
    }
  }
  if (outcome === 'permanent') {
    opts.log.error('sms refused by the provider; not retried', fields)
    return [{ id: row.id, result: 'failed', error: message }, audited(opts, row, 'sms.status', { status: 'failed', error: message })]
  }
  const maxAttempts = opts.maxAttempts ?? 12
  if (row.attempts >= maxAttempts) {
    const error = `gave up after ${row.attempts} attempts: ${message}`
    opts.log.error('sms failed; giving up', fields)
    return [{ id: row.id, result: 'failed', error }, audited(opts, row, 'sms.status', { status: 'failed', error })]
  }
  const wait = Math.max(backoff(row.attempts, opts.backoffMs ?? 2000, opts.maxBackoffMs ?? 600_000), retryAfter ?? 0)
  const at = new Date(opts.clock.now() + wait)
  // Only an answer proving the provider lacks the message lets the next attempt skip the look-up.
  opts.log.warn('sms attempt failed; will retry', { ...fields, outcome, next: at.toISOString() })
  return [{ id: row.id, result: 'retry', status: outcome === 'not_sent' ? 'pending' : 'sending', at, error: message }]
}

/** Audited is the audit row of an outcome: the trail says which message went out (number masked) exactly when the outbox does. */
type Audited = AuditInput

function audited(opts: SmsSenderOptions, row: Claimed, action: 'sms.sent' | 'sms.status', detail: Record<string, unknown>): Audited {
  return { at: opts.clock.now(), actor: 'sms', action, subject: `sms:${row.id}`, detail: { ref: row.ref, to: maskPhone(row.recipient), ...detail } }
}

/**
 * Recorder writes outcomes as they arrive: while one transaction commits, new ones
 * gather, and the next transaction takes them all (group commit). Each outcome's
 * audit row commits with it.
 */
class Recorder {
  private pending: Array<{ row: Claimed; result: Attempted; audit?: Audited }> = []
  private writing: Promise<void> | null = null
  private error: Error | null = null

  constructor(private readonly opts: SmsSenderOptions) {}

  /** broken is true once a write failed: the batch should send nothing more. */
  get broken(): boolean {
    return this.error !== null
  }

  add(row: Claimed, result: Attempted, audit?: Audited): void {
    if (this.error) return
    this.pending.push({ row, result, audit })
    this.writing ??= this.writeAll()
  }

  /** done waits for every outcome to be written and throws if a write failed. */
  async done(): Promise<void> {
    while (this.writing) await this.writing
    if (this.error) throw this.error
  }

  private async writeAll(): Promise<void> {
    // Let every answer that has arrived join the first write: setImmediate runs after the
    // I/O callbacks now due. (A promise tick would not: PGlite answers without yielding to
    // I/O, so each answer would get a transaction of its own.)
    await new Promise((resolve) => setImmediate(resolve))
    try {
      while (this.pending.length && !this.error) {
        const group = this.pending.splice(0)
        await this.opts.db.transaction(async (tx) => {
          await recordAttempts(tx, group.map((g) => g.result))
          await appendAudits(tx, group.flatMap((g) => (g.audit ? [g.audit] : [])))
        })
        for (const g of group) if (g.result.result !== 'released') this.opts.onChange?.(g.row.id)
      }
    } catch (e) {
      this.error = e as Error
      this.pending = []
    } finally {
      this.writing = null
    }
  }
}

/** untilUnpaused waits out a pause the provider asked for (a 429), unless the sender stops. */
async function untilUnpaused(state: SenderState): Promise<void> {
  while (!state.stopped && Date.now() < state.pausedUntil) await state.naps.sleep(state.pausedUntil - Date.now())
}

/** Naps are sleeps that stop() can cut short. */
class Naps {
  private readonly waking = new Set<() => void>()

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t)
        this.waking.delete(done)
        resolve()
      }
      const t = setTimeout(done, ms)
      this.waking.add(done)
    })
  }

  wakeAll(): void {
    for (const w of [...this.waking]) w()
  }
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
