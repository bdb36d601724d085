/** DashboardSource is the seam between the dashboard server and the platform that feeds it (wallFeed.ts live, fakes in tests). */
import type { Observable } from 'rxjs'
import type { AlertView, KpiChanged, SmsView, WallPulse, WallScope, WallSnapshot } from '../../common/contract/index.ts'

/** DashboardSource is what the platform plugs into the dashboard server. */
export interface DashboardSource {
  /** the wall as one reader may see it */
  snapshot(scope: WallScope): Promise<WallSnapshot>
  /** Every newly stored card, once. */
  live: Observable<AlertView>
  /** Every change of a text message (queued, sent, delivered, failed). */
  liveSms: Observable<SmsView>
  /** The kpi worker's announcements that periods' figures changed (absent: no kpi pushes). */
  liveKpi?: Observable<KpiChanged>
  /** Platform clock, epoch ms. */
  now(): number
  /** The platform's freshness and event rate over every department, pushed to walls of every department (absent: no pulse). */
  pulse?(): Promise<WallPulse>
}
