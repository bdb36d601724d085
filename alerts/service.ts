/**
 * The alert service follows the alerts stream: it stores each card once, then
 * announces newly stored cards on the live topic for the dashboards. The message is
 * acked only after the card is committed. The cards pulled together are committed
 * together; when that fails, each is tried on its own.
 */
import type { CardMessage } from '../common/contract/index.ts'
import type { Bus } from '../common/bus/index.ts'
import type { Clock } from '../common/time/index.ts'
import type { Db, Queryable } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import { appendAudit } from '../common/audit/index.ts'
import type { ThreadStore } from './lifecycle/threadStore.ts'
import { alertByKey, saveAlert, withdrawAlert } from './store.ts'

/** LIVE_ALERTS is the live topic on which newly stored cards are announced. */
export const LIVE_ALERTS = 'alerts'

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
}

/** AlertService is a running alert service. */
export interface AlertService {
  stop(): Promise<void>
}

/** BATCH is how many cards are pulled, and stored, together at most. */
const BATCH = 200

/** RETRY_MS is the first wait after a card could not be stored; it doubles while storing fails, up to MAX_RETRY_MS. */
const RETRY_MS = 1000
/** MAX_RETRY_MS stays well below the consumer's ack wait (30 s), so that the messages pulled ahead are not redelivered meanwhile. */
const MAX_RETRY_MS = 8000

/**
 * startAlertService consumes the alerts stream with the durable consumer `alerts`.
 * While the database fails, it waits longer after each failure (1, 2, 4, 8 s) before
 * the next card, instead of failing every card of the backlog at once; the card that
 * failed comes back after that wait.
 */
export function startAlertService(opts: AlertServiceOptions): AlertService {
  const { bus, db, clock, log, threads } = opts
  let failures = 0
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
  /** store saves one card (or its withdrawal) in tx; true when that changed anything. */
  const store = async (tx: Queryable, card: CardMessage): Promise<boolean> => {
    const now = clock.now()
    if (card.withdrawn) {
      if (!(await withdrawAlert(tx, card, card.withdrawn.by, now))) return false
      if (card.kind) await threads.withdrawCard(tx, card.key, card.withdrawn.by, now)
      else await appendAudit(tx, { at: now, actor: 'system:rules', action: 'alert.withdrawn', subject: card.key, detail: { by: card.withdrawn.by } })
      return true
    }
    if (!(await saveAlert(tx, card, now))) return false
    if (card.kind) await threads.openOrUpgrade(tx, card, now)
    else await appendAudit(tx, { at: now, actor: 'system:rules', action: 'alert.raised', subject: card.key, detail: { rule: card.rule, at: card.at } })
    return true
  }
  /** announce tells the notifier and the walls of a card stored. */
  const announce = async (card: CardMessage) => {
    const label = card.level === 'red' ? '红牌' : '黄牌'
    if (card.withdrawn) log.info(`${label}撤销 ${card.rule}`, { case: card.caseId, dept: card.dept, by: card.withdrawn.by })
    else log.info(`${label} ${card.rule}`, { case: card.caseId, dept: card.dept, at: card.at })
    opts.onStored?.(card)
    // The card is safe; telling the walls is best effort (they resync on reconnect).
    const stored = await alertByKey(db, card.key, opts.format).catch(() => null)
    try {
      if (stored) bus.publishLive(LIVE_ALERTS, stored)
    } catch (e) {
      log.warn('announcing a stored card failed', { key: card.key, error: (e as Error).message })
    }
  }
  // The cards pulled together are stored in one transaction: one commit (one WAL flush)
  // for the lot instead of one per card, which bounded the pipeline at ~100 cards/s.
  const consumer = bus.consumeBatches<CardMessage>('JIANCHA_ALERTS', 'alerts', undefined, async (batch) => {
    let changed: boolean[] | null = null
    if (batch.length > 1) {
      changed = await db
        .transaction(async (tx) => {
          const out: boolean[] = []
          for (const d of batch) out.push(await store(tx, d.data))
          return out
        })
        .catch(() => null) // one card the database refuses: each on its own below, as if pulled alone
    }
    if (changed) {
      failures = 0
      for (const d of batch) d.ack()
      for (const [i, d] of batch.entries()) if (changed[i]) await announce(d.data)
      return
    }
    for (const [i, d] of batch.entries()) {
      const card = d.data
      if (stopping) {
        for (const rest of batch.slice(i)) rest.nak()
        return
      }
      let one: boolean
      try {
        one = await db.transaction((tx) => store(tx, card))
      } catch (e) {
        const wait = Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** failures++)
        log.error('storing a card failed; will retry', { key: card.key, error: (e as Error).message, failures, retryMs: wait })
        d.nak(wait)
        // Hold the next card back too: the database that failed this one would fail it.
        await pause(wait)
        continue
      }
      failures = 0
      d.ack()
      if (one) await announce(card)
    }
  }, { batch: BATCH, maxAckPending: 4 * BATCH })
  return {
    stop: () => {
      stopping = true
      wake()
      return consumer.stop()
    },
  }
}
