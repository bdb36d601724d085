/**
 * The collector's part of the status (common/health): the rules' backlog it last saw,
 * against which it pushes back, and the requests it refused since start. It is
 * degraded while it refuses events for the backlog (HTTP 429).
 */
import type { ComponentProbe } from '../common/health/index.ts'
import type { Refused } from './server.ts'

/** CollectorProbeOptions are what the collector's status reads. */
export interface CollectorProbeOptions {
  /** the backlog last sampled (BacklogGauge.current) */
  backlog: () => number
  /** COLLECTOR_MAX_BACKLOG; 0 = no bound */
  maxBacklog: number
  refused: () => Refused
}

/** collectorProbe reports the collector's details; backpressure while the backlog is over its bound. */
export function collectorProbe(opts: CollectorProbeOptions): ComponentProbe<'collector'> {
  return {
    component: 'collector',
    details: () => ({ backlog: opts.backlog(), maxBacklog: opts.maxBacklog, refused: opts.refused() }),
    problems: (d) => (d.maxBacklog > 0 && d.backlog > d.maxBacklog ? ['backpressure'] : []),
  }
}
