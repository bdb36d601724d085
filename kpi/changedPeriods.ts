/**
 * Which periods' figures a batch of facts changed, as the 'kpi' announcement names
 * them (KpiChanged): the month, quarter and year of each fact's instant, and the
 * period after each of those once it has begun, whose ranking compares itself with
 * its predecessor (previousRank, movement) and so changes with it.
 */
import type { Zone } from '../common/time/index.ts'
import { periodLabel, periodOf, periodStart, PERIOD_UNITS } from './period.ts'

/** LIVE_KPI is the live bus topic (core NATS, not stored) on which the kpi worker announces a KpiChanged. */
export const LIVE_KPI = 'kpi'

/** changedPeriods lists, sorted, the labels of the periods whose figures facts at these instants change, as of `now`. */
export function changedPeriods(instants: Iterable<number>, zone: Zone, now: number): string[] {
  const out = new Set<string>()
  const seen = new Set<string>()
  for (const t of instants) {
    for (const unit of PERIOD_UNITS) {
      const p = periodOf(t, unit, zone)
      const key = `${unit}:${p.n}`
      if (seen.has(key)) continue
      seen.add(key)
      out.add(periodLabel(p))
      const next = { unit, n: p.n + 1 }
      if (periodStart(next, zone) <= now) out.add(periodLabel(next))
    }
  }
  return [...out].sort()
}
