/**
 * The alert service follows the alerts stream a batch at a time. For each batch:
 *   1. a message that is not a card goes to the dead letters at once (cardCheck.ts);
 *   2. the cards are applied in stream order in one transaction (cardBatch.ts): each
 *      stored once per key or withdrawn, its thread joined, audited; the cards the
 *      database refuses are left out, the others commit;
 *   3. only then are the committed cards acked, and each one that changed the store
 *      told to onStored (the notifier) and announced on the live topic, once;
 *   4. a refused card is tried again (1, 2, 4, 8 s) and after its last try goes to the
 *      dead-letter stream with the database's reason: it never blocks the cards behind it.
 * A redelivered card finds its key stored and changes nothing, so nothing is told twice.
 * While the database fails, the service waits longer after each failure before the
 * next batch, and the batch comes back after that wait.
 */
import { ALERTS_STREAM, type Bus, type Delivery } from '../common/bus/index.ts'
import type { CardMessage, ErrorNote } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import type { Clock } from '../common/time/index.ts'
import { storeCards } from './cardBatch.ts'
import { cardProblem } from './cardCheck.ts'
import type { ThreadStore } from './lifecycle/threadStore.ts'
import { alertsByKeys, type StoredAlert } from './store.ts'

/** LIVE_ALERTS is the live topic on which newly stored cards are announced. */
export const LIVE_ALERTS = 'alerts'

/** ALERTS_CONSUMER is the durable consumer of the alerts stream that the alert service runs. */
export const ALERTS_CONSUMER = 'alerts'

/** AlertServiceOptions wire the alert service. */
export interface AlertServiceOptions {
  bus: Bus
  db: Db
  clock: Clock
  format: (t: number) => string
  log: Logger
  /**
   * the process's thread store (alerts/compose.ts): case cards join a supervision
   * thread (a red upgrades the yellow of its case), every change audited in the
   * transaction that makes it
   */
  threads: ThreadStore
  /** told each card once it is safely stored or withdrawn (the notifier listens here) */
  onStored?: (card: CardMessage) => void
  /** messages pulled and stored together (DEFAULT_BATCH by default) */
  batch?: number
  /** deliveries of a card the database refuses before it goes to the dead letters (DEFAULT_MAX_TRIES by default) */
  maxTries?: number
  /** the first wait after a failure (RETRY_MS by default); it doubles up to 8 times itself (tests shorten it) */
  retryMs?: number
}

/** AlertServiceStatus is the service's state, for the alerts' health report. */
export interface AlertServiceStatus {
  /** cards that changed the store (stored or withdrawn) since start */
  stored: number
  /** dead letters of the alerts stream (kept on the bus; counted at start, then as they come) */
  deadLetters: number
  /** the last failure to store a batch, until a batch is stored after it */
  lastError: ErrorNote | null
}

/** AlertService is a running alert service. */
export interface AlertService {
  status(): AlertServiceStatus
  stop(): Promise<void>
}

/** DEFAULT_BATCH is how many cards are stored in one transaction at most. */
export const DEFAULT_BATCH = 200
/** DEFAULT_MAX_TRIES is how often a card the database refuses is tried before it becomes a dead letter. */
export const DEFAULT_MAX_TRIES = 5
/** RETRY_MS is the first wait after a batch could not be stored; it doubles while storing fails, up to 8 × RETRY_MS. */
export const RETRY_MS = 1000
/** The longest wait, 8 s by default, stays well below the consumer's ack wait (30 s), so that the messages pulled ahead are not redelivered meanwhile. */
const MAX_RETRY_FACTOR = 8

/** startAlertService consumes the alerts stream with the durable consumer `alerts`; see the top of this file. */
export function startAlertService(opts: AlertServiceOptions): AlertService {
  const { bus, db, clock, log, threads } = opts
  const batchSize = opts.batch ?? DEFAULT_BATCH
  const maxTries = opts.maxTries ?? DEFAULT_MAX_TRIES
  const retryMs = opts.retryMs ?? RETRY_MS
  const maxRetryMs = MAX_RETRY_FACTOR * retryMs
  let failures = 0
  let stored = 0
  let deadLetters = 0
  let lastError: ErrorNote | null = null
  let stopping = false
  let wake = () => {}
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(t)
        resolve()
      }
    })
  // Counted on the bus, so that the figure survives a restart; a bus not there yet counts from 0.
  void bus.deadLetters(ALERTS_STREAM).then((n) => (deadLetters += n), () => {})

  const giveUp = async (d: Delivery<unknown>, reason: string): Promise<void> => {
    try {
      await d.deadLetter(reason)
    } catch (e) {
      // Back after a second, one try further: then it is given up on again.
      log.warn(`could not store the dead letter of card seq ${d.seq}; it comes back`, { error: (e as Error).message })
      d.nak(retryMs)
      return
    }
    deadLetters++
    const key = (d.data as { key?: unknown } | null)?.key
    log.error(`dead letter: card seq ${d.seq} after ${d.tries} ${d.tries === 1 ? 'try' : 'tries'}: ${reason}`, { key: typeof key === 'string' ? key : undefined, deadLetters })
  }

  /** announce tells the notifier and the walls of the cards that changed the store, in order. */
  const announce = async (cards: readonly CardMessage[]): Promise<void> => {
    for (const card of cards) {
      const label = card.level === 'red' ? '红牌' : '黄牌'
      if (card.withdrawn) log.info(`${label}撤销 ${card.rule}`, { case: card.caseId, dept: card.dept, by: card.withdrawn.by })
      else log.info(`${label} ${card.rule}`, { case: card.caseId, dept: card.dept, at: card.at })
      opts.onStored?.(card)
    }
    // The cards are safe; telling the walls is best effort (they resync on reconnect).
    const rows = await alertsByKeys(db, cards.map((c) => c.key), opts.format).catch(() => new Map<string, StoredAlert>())
    for (const card of cards) {
      const row = rows.get(card.key)
      try {
        if (row) bus.publishLive(LIVE_ALERTS, row)
      } catch (e) {
        log.warn('announcing a stored card failed', { key: card.key, error: (e as Error).message })
      }
    }
  }

  const onBatch = async (batch: Delivery<unknown>[], active: () => boolean): Promise<void> => {
    if (!active()) return // unsettled, the batch is nak'ed to come back at once
    const items: Array<{ d: Delivery<unknown>; card: CardMessage }> = []
    for (const d of batch) {
      const problem = cardProblem(d.data)
      if (problem) await giveUp(d, `not a card: ${problem}`)
      else items.push({ d, card: d.data as CardMessage })
    }
    if (!items.length) return
    let outcome: Awaited<ReturnType<typeof storeCards>>
    try {
      outcome = await storeCards(db, threads, items.map((x) => x.card), clock.now())
    } catch (e) {
      const wait = Math.min(maxRetryMs, retryMs * 2 ** failures++)
      const error = (e as Error)?.message ?? String(e)
      lastError = { at: new Date().toISOString(), message: error }
      log.error('storing a batch of cards failed; will retry', { cards: items.length, key: items[0]!.card.key, error, failures, retryMs: wait })
      for (const { d } of items) d.nak(wait)
      // Hold the next batch back too: the database that failed this one would fail it.
      if (!stopping) await pause(wait)
      return
    }
    failures = 0
    lastError = null
    // Acked only after the commit; refused cards are settled below.
    for (const [i, { d }] of items.entries()) if (!outcome.refused.has(i)) d.ack()
    const changed = items.filter((_, i) => outcome.changed.has(i)).map((x) => x.card)
    stored += changed.length
    if (changed.length) await announce(changed)
    for (const [i, error] of outcome.refused) {
      const { d, card } = items[i]!
      if (d.tries >= maxTries) {
        await giveUp(d, `the database refused it: ${error.message}`)
        continue
      }
      const delay = Math.min(maxRetryMs, retryMs * 2 ** (d.tries - 1))
      log.warn(`the database refused card seq ${d.seq} (try ${d.tries} of ${maxTries}); again in ${delay} ms`, { key: card.key, error: error.message })
      d.nak(delay)
    }
  }

  // Room for a batch in hand, one pulled behind it and cards held for a retry.
  const consumer = bus.consumeBatches<unknown>(ALERTS_STREAM, ALERTS_CONSUMER, undefined, onBatch, { batch: batchSize, maxAckPending: 4 * batchSize })
  return {
    status: () => ({ stored, deadLetters, lastError }),
    stop: () => {
      stopping = true
      wake()
      return consumer.stop()
    },
  }
}
