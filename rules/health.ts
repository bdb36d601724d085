/**
 * The rules worker's part of the status (common/health): its backlog, how far its
 * clock lags, what it applied and holds, its dead letters and its last failure, read
 * from the worker's status(). It is degraded while it failed within RECENT_ERROR_MS.
 */
import type { RulesDetails } from '../common/contract/index.ts'
import { type ComponentProbe, isRecent } from '../common/health/index.ts'
import type { RulesWorker, WorkerStatus } from './worker.ts'

/** rulesDetails turns the worker's status into the rules' details. */
export function rulesDetails(s: WorkerStatus): RulesDetails {
  return { backlog: s.backlog, watermarkLagMs: Math.round(s.watermarkLagMs), applied: s.applied, cases: s.cases, deadLetters: s.deadLetters, lastError: s.lastError }
}

/** rulesProbe reports a running worker. */
export function rulesProbe(worker: Pick<RulesWorker, 'status'>): ComponentProbe<'rules'> {
  return {
    component: 'rules',
    details: () => rulesDetails(worker.status()),
    problems: (d, now) => (isRecent(d.lastError, now) ? ['recent_error'] : []),
  }
}
