/**
 * The kpi worker's part of the status (common/health): what it counted and wrote, how
 * its rollups are kept, its last refresh and failure. Degraded while it failed within
 * RECENT_ERROR_MS.
 */
import type { KpiDetails } from '../common/contract/index.ts'
import { type ComponentProbe, isRecent } from '../common/health/index.ts'
import type { KpiWorker } from './worker.ts'

/** kpiProbe reports a running worker. */
export function kpiProbe(worker: Pick<KpiWorker, 'status'>): ComponentProbe<'kpi'> {
  return {
    component: 'kpi',
    details: (): KpiDetails => worker.status(),
    problems: (d, now) => (isRecent(d.lastError, now) ? ['recent_error'] : []),
  }
}
