/**
 * The figures as the platform reads them from the database: the lines of `jiancha kpi
 * show` (the contract's, as `kpi replay` prints them), a period's ranking with the
 * departments' names, movement against the previous period and the categories, one
 * department's trend, and the drill-down from an indicator to the cases behind each of
 * its counts. Counts are summed from the rollups (factStore.ts); scores and ranks are
 * computed here, at query time, with the scheme given. The API is a thin layer on these.
 */
import type { Db, Queryable } from '../common/db/index.ts'
import type { Zone } from '../common/time/index.ts'
import type { Counts } from './countNames.ts'
import type { PeriodCounts } from './counts.ts'
import { periodCountsOf } from './factCounts.ts'
import { type CaseContribution, caseContributions, earliestFact, refreshRollups, sumFacts, sumFactsDirect } from './factStore.ts'
import { type Period, periodEnd, periodLabel, periodOf, periodStart, previousPeriod, type PeriodUnit } from './period.ts'
import { kpiRows, type KpiRow } from './report.ts'
import type { Indicator, Scheme } from './scheme.ts'

/** Registry is what the figures need of the department registry (common/departments DeptDirectory). */
export interface Registry {
  list(): ReadonlyArray<{ code: string; nameZh: string; nameEn: string; kind: string; active: boolean }>
}

/** ReadOptions are common to every read. */
export interface ReadOptions {
  zone: Zone
  scheme: Scheme
  /** nothing at or after it counts; for a closed period, its end */
  until: number
  /**
   * the registry: departments it marks inactive are left out (their figures, and from
   * the ranks), and `kind` keeps only departments of that kind. A department it does not
   * hold is counted, under its code.
   */
  registry?: Registry
  kind?: string
  /** refresh the continuous aggregates over the span first (a command's one-off read); the worker does it on schedule otherwise */
  fresh?: boolean
  /**
   * 'facts' sums kpi_facts straight, without the rollups: the same answers, slowly, as
   * the reference bench:kpi checks and times the rollups against. Default 'rollups'.
   */
  source?: 'rollups' | 'facts'
}

/** keepOf is the departments a read counts. */
function keepOf(o: Pick<ReadOptions, 'registry' | 'kind'>): (dept: string) => boolean {
  if (!o.registry) return () => true
  const byCode = new Map(o.registry.list().map((d) => [d.code, d]))
  return (dept) => {
    const d = byCode.get(dept)
    if (!d) return o.kind === undefined
    return d.active && (o.kind === undefined || d.kind === o.kind)
  }
}

/** countsIn sums the facts of [from, until) into periods of `unit`, for the departments kept. */
async function countsIn(db: Db, from: number, unit: PeriodUnit, o: ReadOptions): Promise<PeriodCounts> {
  const direct = o.source === 'facts'
  if (o.fresh && !direct) await refreshRollups(db, from, o.until, o.zone)
  const sum = direct ? sumFactsDirect : sumFacts
  const counts = periodCountsOf(await sum(db, { from, until: o.until, unit, zone: o.zone }), unit, o.zone)
  const keep = keepOf(o)
  for (const depts of counts.byPeriod.values()) for (const dept of [...depts.keys()]) if (!keep(dept)) depts.delete(dept)
  return counts
}

/**
 * figures gives the contract's rows from the database: for one period (with its
 * previousRank), or for every period of a unit from the earliest fact to `until`,
 * exactly as `jiancha kpi replay` lists them.
 */
export async function figures(db: Db, what: { period: Period } | { unit: PeriodUnit }, o: ReadOptions): Promise<KpiRow[]> {
  if ('period' in what) {
    const p = what.period
    const prev = previousPeriod(p)
    const until = Math.min(o.until, periodEnd(p, o.zone))
    const from = periodStart(prev, o.zone)
    const counts = await countsIn(db, from, p.unit, { ...o, until })
    const label = periodLabel(p)
    return kpiRows({ counts: { ...counts, earliest: from }, until: Math.max(from, until - 1), unit: p.unit, zone: o.zone, scheme: o.scheme }).filter((r) => r.period === label)
  }
  const earliest = await earliestFact(db, o.until)
  if (earliest === null) return []
  const from = periodStart(periodOf(earliest, what.unit, o.zone), o.zone)
  const counts = await countsIn(db, from, what.unit, o)
  return kpiRows({ counts: { ...counts, earliest: from }, until: o.until, unit: what.unit, zone: o.zone, scheme: o.scheme })
}

/** Movement is a rank against the previous period's: ▲ up, ▼ down, = the same, new without a previous rank. */
export type Movement = 'up' | 'down' | 'same' | 'new'

/** RankingRow is one department in a period's ranking. */
export interface RankingRow extends KpiRow {
  /** the registry's names; the code where it holds none */
  name: { 'zh-CN': string; en: string }
  kind: string | null
  movement: Movement
  /** how many places it moved up (negative: down); null without a previous rank */
  places: number | null
}

/** ranking lists a period's departments by rank, with names, movement and the categories (KpiRow.categories). */
export async function ranking(db: Db, period: Period, o: ReadOptions): Promise<RankingRow[]> {
  return rankingRows(await figures(db, { period }, o), o.registry)
}

/** rankingRows gives rows (live, or as frozen) the registry's names and kind, and their movement against previousRank. */
export function rankingRows(rows: readonly KpiRow[], registry?: Registry): RankingRow[] {
  const byCode = new Map((registry?.list() ?? []).map((d) => [d.code, d]))
  return rows.map((r) => {
    const d = byCode.get(r.dept)
    const places = r.rank !== null && r.previousRank !== null ? r.previousRank - r.rank : null
    const movement: Movement = places === null ? 'new' : places > 0 ? 'up' : places < 0 ? 'down' : 'same'
    return { ...r, name: { 'zh-CN': d?.nameZh ?? r.dept, en: d?.nameEn ?? r.dept }, kind: d?.kind ?? null, movement, places }
  })
}

/** TrendPoint is one department's figures in one period; null figures where it had no workload. */
export interface TrendPoint {
  period: string
  row: KpiRow | null
}

/** trend gives one department's figures in each period from `first` to `last` (same unit), its ranks among the departments kept. */
export async function trend(db: Db, dept: string, first: Period, last: Period, o: ReadOptions): Promise<TrendPoint[]> {
  const until = Math.min(o.until, periodEnd(last, o.zone))
  const from = periodStart(previousPeriod(first), o.zone)
  const counts = await countsIn(db, from, first.unit, { ...o, until })
  const rows = kpiRows({ counts: { ...counts, earliest: from }, until: Math.max(from, until - 1), unit: first.unit, zone: o.zone, scheme: o.scheme })
  const mine = new Map(rows.filter((r) => r.dept === dept).map((r) => [r.period, r]))
  const out: TrendPoint[] = []
  for (let n = first.n; n <= last.n; n++) {
    const label = periodLabel({ unit: first.unit, n })
    out.push({ period: label, row: mine.get(label) ?? null })
  }
  return out
}

/** DrillPart is one count an indicator is made of, its value and the cases behind it. */
export interface DrillPart {
  /** numerator, denominator, or deduction (a card count of a deduction) or base (its `of`) */
  role: 'numerator' | 'denominator' | 'deduction' | 'base'
  count: string
  sign: 1 | -1
  value: number
  cases: CaseContribution[]
  /** more cases stand behind it than `maxCases` */
  truncated: boolean
}

/** DrillDown is an indicator of one department in one period, down to the cases and cards. */
export interface DrillDown {
  period: string
  dept: string
  indicator: string
  value: number | null
  scheme: string
  parts: DrillPart[]
}

/**
 * drillDown explains one indicator: each count of its formula, with every case that adds
 * to it, the instant that placed it in the period and, for a card, the rule that raised
 * it. Workload's cases are listed at their first touch of the period; at most `maxCases`
 * a part (all by default), the first by instant.
 */
export async function drillDown(db: Db, dept: string, period: Period, indicatorName: string, o: ReadOptions & { maxCases?: number }): Promise<DrillDown> {
  const indicator = findIndicator(o.scheme, indicatorName)
  const rows = await figures(db, { period }, o)
  const row = rows.find((r) => r.dept === dept)
  const from = periodStart(period, o.zone)
  const until = Math.min(o.until, periodEnd(period, o.zone))
  const f = indicator.formula
  const terms: Array<{ role: DrillPart['role']; count: string; sign: 1 | -1 }> =
    f.type === 'ratio'
      ? [...f.numerator.map((t) => ({ role: 'numerator' as const, ...t })), ...f.denominator.map((t) => ({ role: 'denominator' as const, ...t }))]
      : [...f.points.map((p) => ({ role: 'deduction' as const, count: p.count, sign: 1 as const })), ...f.of.map((t) => ({ role: 'base' as const, ...t }))]
  const factName = (count: string) => (count === 'workload' ? `workload.${period.unit}` : count)
  const parts: DrillPart[] = []
  for (const t of terms) {
    // One more than asked tells whether the list is cut.
    const max = o.maxCases ?? Infinity
    const cases = await caseContributions(db, { dept, counts: [factName(t.count)], from, until, limit: Number.isFinite(max) ? max + 1 : undefined })
    parts.push({ ...t, value: row ? row.counts[t.count as keyof Counts] : 0, cases: cases.slice(0, max), truncated: cases.length > max })
  }
  return { period: periodLabel(period), dept, indicator: indicator.name, value: row?.indicators[indicator.name] ?? null, scheme: o.scheme.version, parts }
}

function findIndicator(scheme: Scheme, name: string): Indicator {
  for (const c of scheme.categories) for (const i of c.indicators) if (i.name === name) return i
  const all = scheme.categories.flatMap((c) => c.indicators.map((i) => i.name))
  throw new Error(`unknown indicator "${name}"; the scheme ${scheme.version} has ${all.join(', ')}`)
}

/**
 * kpiHasRun tells whether a kpi worker ever ran on this database (it records its scheme
 * at start) or anything was counted: without either, there are no figures to read,
 * and the API says the component does not run rather than show an empty ranking.
 */
export async function kpiHasRun(q: Queryable): Promise<boolean> {
  return (await q.query('SELECT 1 FROM kpi_schemes LIMIT 1')).rowCount > 0 || (await hasFacts(q))
}

/** hasFacts tells whether anything was ever counted (a quick look for commands). */
export async function hasFacts(q: Queryable): Promise<boolean> {
  return (await q.query('SELECT 1 FROM kpi_facts LIMIT 1')).rowCount > 0
}
