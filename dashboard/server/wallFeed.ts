/**
 * wallFeed is the DashboardSource of a running platform: snapshots from the alert
 * store, live cards from the bus.
 */
import { Observable, share } from 'rxjs'
import type { Bus } from '../../common/bus/bus.ts'
import type { Clock } from '../../common/clock.ts'
import type { Db } from '../../common/db/db.ts'
import type { AlertView, DashboardSource, WallSnapshot } from './wall-contract.ts'
import { LIVE_ALERTS } from '../../alerts/service.ts'
import { openTallies, recentAlerts } from '../../alerts/store.ts'

/** wallFeed builds the dashboard's source over the store and the bus. */
export function wallFeed(db: Db, bus: Bus, clock: Clock, format: (t: number) => string): DashboardSource {
  const live = new Observable<AlertView>((sub) => {
    const s = bus.subscribeLive<AlertView>(LIVE_ALERTS, (a) => sub.next(a))
    return () => s.unsubscribe()
  }).pipe(share())
  return {
    now: () => clock.now(),
    live,
    async snapshot(): Promise<WallSnapshot> {
      const [alerts, byDept] = await Promise.all([recentAlerts(db, 200, format), openTallies(db)])
      const counts = { yellow: 0, red: 0 }
      for (const d of byDept) {
        counts.yellow += d.yellow
        counts.red += d.red
      }
      return { now: format(clock.now()), alerts, counts, byDept }
    },
  }
}
