/**
 * wallFeed is the DashboardSource of a running platform: snapshots from the alert
 * store and the SMS outbox, scoped to the reader; live cards and text-message
 * changes from the bus.
 */
import { mergeMap, Observable, share } from 'rxjs'
import { LIVE_ALERTS, LIVE_SMS, messagesByIds, openTallies, recentAlerts, recentMessages } from '../../alerts/index.ts'
import type { Bus } from '../../common/bus/index.ts'
import { lastReceivedAt } from '../../rules/index.ts'
import type { Clock } from '../../common/time/index.ts'
import type { Db } from '../../common/db/index.ts'
import { smsView } from './smsView.ts'
import { MAX_SNAPSHOT_ALERTS, MAX_SNAPSHOT_SMS, type AlertView, type WallScope, type WallSnapshot } from '../../common/contract/index.ts'
import type { DashboardSource } from './source.ts'

/** wallFeed builds the dashboard's source over the store and the bus. */
export function wallFeed(db: Db, bus: Bus, clock: Clock, format: (t: number) => string, log: (m: string) => void = () => {}): DashboardSource {
  const live = new Observable<AlertView>((sub) => {
    const s = bus.subscribeLive<AlertView>(LIVE_ALERTS, (a) => sub.next(a))
    return () => s.unsubscribe()
  }).pipe(share())
  // The bus says which row changed; the row itself is read here, so the bus never carries a phone number.
  const liveSms = new Observable<number>((sub) => {
    const s = bus.subscribeLive<{ id: unknown }>(LIVE_SMS, (m) => {
      if (typeof m?.id === 'number') sub.next(m.id)
    })
    return () => s.unsubscribe()
  }).pipe(
    mergeMap((id) =>
      messagesByIds(db, [id]).catch((e: unknown) => {
        log(`dashboard: reading sms ${id} failed: ${(e as Error).message}`)
        return []
      }),
    ),
    mergeMap((rows) => rows.map((r) => smsView(r, format))),
    share(),
  )
  return {
    now: () => clock.now(),
    live,
    liveSms,
    async snapshot(scope: WallScope): Promise<WallSnapshot> {
      const dept = 'dept' in scope ? scope.dept : undefined
      const [alerts, byDept, sms, lastEvent] = await Promise.all([
        recentAlerts(db, MAX_SNAPSHOT_ALERTS, format, dept),
        openTallies(db, dept),
        recentMessages(db, MAX_SNAPSHOT_SMS, dept),
        lastReceivedAt(db, dept),
      ])
      const counts = { yellow: 0, red: 0 }
      for (const d of byDept) {
        counts.yellow += d.yellow
        counts.red += d.red
      }
      return { now: format(clock.now()), alerts, counts, byDept, sms: sms.map((m) => smsView(m, format)), scope, lastEventAt: lastEvent === null ? null : new Date(lastEvent).toISOString() }
    },
  }
}
