/**
 * wallFeed is the DashboardSource of a running platform: snapshots from the alert
 * store and the SMS outbox, scoped to the reader; live cards, text-message changes
 * and the kpi worker's changed periods from the bus.
 */
import { mergeMap, Observable, share } from 'rxjs'
import { dailyCards, LIVE_ALERTS, LIVE_SMS, messagesByIds, openTallies, recentAlerts, recentMessages } from '../../alerts/index.ts'
import type { Bus } from '../../common/bus/index.ts'
import { eventsPerMinute, lastReceivedAt } from '../../rules/index.ts'
import { LIVE_KPI } from '../../kpi/index.ts'
import type { Clock } from '../../common/time/index.ts'
import type { Db } from '../../common/db/index.ts'
import { smsView } from './smsView.ts'
import { MAX_SNAPSHOT_ALERTS, MAX_SNAPSHOT_DAILY, MAX_SNAPSHOT_SMS, RATE_MINUTES, TREND_DAYS, type AlertView, type KpiChanged, type WallPulse, type WallScope, type WallSnapshot } from '../../common/contract/index.ts'
import type { DashboardSource } from './source.ts'

/** MAX_KPI_PERIODS bounds the periods one 'kpi' push names (a burst names a few). */
const MAX_KPI_PERIODS = 64

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
  // What another process sends is checked before it reaches a browser.
  const liveKpi = new Observable<KpiChanged>((sub) => {
    const s = bus.subscribeLive<Partial<KpiChanged>>(LIVE_KPI, (m) => {
      const periods = Array.isArray(m?.periods) ? m.periods.filter((p): p is string => typeof p === 'string').slice(0, MAX_KPI_PERIODS) : []
      if (periods.length && typeof m.at === 'number') sub.next({ periods, at: m.at })
    })
    return () => s.unsubscribe()
  }).pipe(share())
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())
  // Received times are wall time (the database's clock), not the platform clock.
  const pulse = async (dept?: string): Promise<WallPulse> => {
    const [last, rate] = await Promise.all([lastReceivedAt(db, dept), eventsPerMinute(db, Date.now() - RATE_MINUTES * 60_000, dept)])
    return { lastEventAt: iso(last), rate: rate.map((r) => ({ minute: new Date(r.minute).toISOString(), events: r.events })) }
  }
  return {
    now: () => clock.now(),
    pulse: () => pulse(),
    live,
    liveSms,
    liveKpi,
    async snapshot(scope: WallScope): Promise<WallSnapshot> {
      const dept = 'dept' in scope ? scope.dept : undefined
      const [alerts, byDept, sms, figures, daily] = await Promise.all([
        recentAlerts(db, MAX_SNAPSHOT_ALERTS, format, dept),
        openTallies(db, dept),
        recentMessages(db, MAX_SNAPSHOT_SMS, dept),
        pulse(dept),
        dailyCards(db, clock.now() - TREND_DAYS * 86_400_000, (t) => format(t).slice(0, 10), MAX_SNAPSHOT_DAILY, dept),
      ])
      const counts = { yellow: 0, red: 0 }
      for (const d of byDept) {
        counts.yellow += d.yellow
        counts.red += d.red
      }
      return { now: format(clock.now()), alerts, counts, byDept, sms: sms.map((m) => smsView(m, format)), scope, ...figures, daily }
    },
  }
}
