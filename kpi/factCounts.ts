/**
 * periodCountsOf folds summed facts (from the database's rollups, or from caseFacts)
 * into the counts of each period and department, as countsByPeriod gives them: the
 * workload of a period length is its own fact, the other counts add up.
 */
import type { Zone } from '../common/time/index.ts'
import { isCountName, zeroCounts, type Counts } from './countNames.ts'
import type { PeriodCounts } from './counts.ts'
import { periodOf, type PeriodUnit } from './period.ts'

/** FactSum is a sum of one fact over some span that starts at `t` (a fact's instant, a day or a month). */
export interface FactSum {
  t: number
  dept: string
  count: string
  n: number
}

/** periodCountsOf sums the rows into periods of `unit`; rows of unknown counts, or of another length's workload, are left out. */
export function periodCountsOf(rows: Iterable<FactSum>, unit: PeriodUnit, zone: Zone): PeriodCounts {
  const byPeriod = new Map<number, Map<string, Counts>>()
  let earliest: number | null = null
  const workload = `workload.${unit}`
  for (const r of rows) {
    const name = r.count === workload ? 'workload' : r.count
    if (name === 'workload' ? r.count !== workload : !isCountName(name)) continue
    if (!isCountName(name)) continue
    const n = periodOf(r.t, unit, zone).n
    let depts = byPeriod.get(n)
    if (!depts) byPeriod.set(n, (depts = new Map()))
    let c = depts.get(r.dept)
    if (!c) depts.set(r.dept, (c = zeroCounts()))
    c[name] += r.n
    if (name === 'workload' && r.n > 0 && (earliest === null || r.t < earliest)) earliest = r.t
  }
  return { byPeriod, earliest }
}
