/**
 * The alert service follows the alerts stream: it stores each card once, then
 * announces newly stored cards on the live topic for the dashboards. The message is
 * acked only after the card is committed.
 */
import type { Alert } from '../common/contract/alert.ts'
import type { Bus } from '../common/bus/bus.ts'
import type { Clock } from '../common/clock.ts'
import type { Db } from '../common/db/db.ts'
import type { Logger } from '../common/log.ts'
import { alertByKey, saveAlert } from './store.ts'

/** LIVE_ALERTS is the live topic on which newly stored cards are announced. */
export const LIVE_ALERTS = 'alerts'

export interface AlertServiceOptions {
  bus: Bus
  db: Db
  clock: Clock
  format: (t: number) => string
  log: Logger
}

/** startAlertService consumes the alerts stream with the durable consumer `alerts`. */
export function startAlertService(opts: AlertServiceOptions): { stop(): Promise<void> } {
  const { bus, db, clock, log } = opts
  const consumer = bus.consume<Alert>('JIANCHA_ALERTS', 'alerts', undefined, async (d) => {
    try {
      const fresh = await db.transaction((tx) => saveAlert(tx, d.data, clock.now()))
      d.ack()
      if (!fresh) return
      const stored = await alertByKey(db, d.data.key, opts.format)
      if (stored) bus.publishLive(LIVE_ALERTS, stored)
      log.info(`${d.data.level === 'red' ? '红牌' : '黄牌'} ${d.data.rule}`, { case: d.data.caseId, dept: d.data.dept, at: d.data.at })
    } catch (e) {
      log.error('storing a card failed; will retry', { key: d.data.key, error: (e as Error).message })
      d.nak(1000)
    }
  })
  return consumer
}
