/**
 * kpiRows turns the counts of every period into the figures kpi.md §4 prints: one row
 * per department with a workload in a period, for every period from the one holding
 * the earliest event to the one holding `until`, ordered by period, then rank (the
 * unranked last), then department. previousRank is the rank in the period just before.
 */
import type { Zone } from '../common/time/index.ts'
import type { Counts } from './countNames.ts'
import type { PeriodCounts } from './counts.ts'
import { periodLabel, periodOf, periodsThrough, type PeriodUnit } from './period.ts'
import { competitionRanks } from './rank.ts'
import type { Ratio } from './ratio.ts'
import type { Scheme } from './scheme.ts'
import { scoreOf, type Scored } from './score.ts'

/** KpiRow is one department's figures in one period; numbers rounded half up to 2 decimals, null where there is no data. */
export interface KpiRow {
  period: string
  dept: string
  counts: Counts
  indicators: Record<string, number | null>
  categories: Record<string, number | null>
  score: number | null
  grade: string | null
  rank: number | null
  previousRank: number | null
  /** the version of the scheme that produced the row */
  scheme: string
}

/** ReportInput is what the rows are made of. */
export interface ReportInput {
  counts: PeriodCounts
  until: number
  unit: PeriodUnit
  zone: Zone
  scheme: Scheme
}

/** kpiRows lists the rows of every period, in print order. */
export function kpiRows(input: ReportInput): KpiRow[] {
  const { counts, unit, scheme } = input
  if (counts.earliest === null) return []
  const rows: KpiRow[] = []
  let previous = new Map<string, number | null>()
  for (const p of periodsThrough(periodOf(counts.earliest, unit, input.zone), periodOf(input.until, unit, input.zone))) {
    const depts = counts.byPeriod.get(p.n) ?? new Map<string, Counts>()
    const scored = new Map<string, Scored>()
    for (const [dept, c] of depts) if (c.workload > 0) scored.set(dept, scoreOf(c, scheme))
    const ranks = competitionRanks(new Map([...scored].map(([dept, s]) => [dept, s.score])))
    const label = periodLabel(p)
    const period: KpiRow[] = [...scored].map(([dept, s]) => ({
      period: label,
      dept,
      counts: depts.get(dept)!,
      indicators: rounded(s.indicators),
      categories: rounded(s.categories),
      score: s.score && s.score.toNumber(),
      grade: s.grade,
      rank: ranks.get(dept) ?? null,
      previousRank: previous.get(dept) ?? null,
      scheme: scheme.version,
    }))
    rows.push(...period.sort(byRankThenDept))
    previous = ranks
  }
  return rows
}

function rounded(values: ReadonlyMap<string, Ratio | null>): Record<string, number | null> {
  const out: Record<string, number | null> = {}
  for (const [name, v] of values) out[name] = v && v.roundHalfUp(2).toNumber()
  return out
}

/** byRankThenDept orders a period's rows: rank ascending, the unranked last, ties by dept (code points, as `dept` is ASCII). */
function byRankThenDept(a: KpiRow, b: KpiRow): number {
  const ra = a.rank ?? Infinity
  const rb = b.rank ?? Infinity
  return ra - rb || (a.dept < b.dept ? -1 : a.dept > b.dept ? 1 : 0)
}
