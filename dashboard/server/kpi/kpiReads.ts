/**
 * The KPI API's reads, a thin layer on kpi's queries: a period's ranking, official
 * (kpi_frozen, with the revisions noted since) once the period is frozen and live from
 * the rollups before; a department's trend, official where a period is frozen; and the
 * drill-down of one indicator to its cases (bounded in the query). They read the database only, so they answer
 * wherever the kpi worker runs (the rollups are as fresh as it, or TimescaleDB's
 * policies on a server, keeps them).
 */
import type { DeptKind, KpiDrillDown, KpiRanking, KpiSchemeView, KpiTrend } from '../../../common/contract/index.ts'
import type { Db } from '../../../common/db/index.ts'
import type { Zone } from '../../../common/time/index.ts'
import {
  drillDown, frozenPeriods, type Period, periodEnd, periodLabel, previousPeriod, ranking, rankingRows, type Registry, revisionsOf, type Scheme, storedScheme, trend,
} from '../../../kpi/index.ts'
import type { TrendQuery } from './kpiQuery.ts'
import { officialOfKind, ofKind, rankingRowView, revisionView } from './rankingView.ts'
import { schemeView, unknownScheme } from './schemeView.ts'

/** KpiReadDeps is what the reads need: the database, the scheme in force, the platform zone, the registry, the clock. */
export interface KpiReadDeps {
  db: Db
  scheme: Scheme
  zone: Zone
  registry?: Registry
  now: () => number
}

/** RankingScope is every department's row, or one department's. */
export type RankingScope = { all: true } | { dept: string }

/** nameOf is a department's names in the registry, its code where it holds none. */
export function nameOf(registry: Registry | undefined, dept: string): { 'zh-CN': string; en: string } {
  const d = registry?.list().find((x) => x.code === dept)
  return { 'zh-CN': d?.nameZh ?? dept, en: d?.nameEn ?? dept }
}

/** schemeOf is the view of a version: the scheme in force, or one stored in kpi_schemes. */
async function schemeOf(d: KpiReadDeps, version: string): Promise<KpiSchemeView> {
  if (version === d.scheme.version) return schemeView(d.scheme)
  const s = await storedScheme(d.db, version)
  return s ? schemeView(s) : unknownScheme(version)
}

/** readRanking answers GET /api/v1/kpi/rankings: a period's ranking, official once frozen, live before. */
export async function readRanking(d: KpiReadDeps, period: Period, kind: DeptKind | null, scope: RankingScope): Promise<KpiRanking> {
  const label = periodLabel(period)
  const [frozen] = await frozenPeriods(d.db, [label])
  const keep = kind === null ? () => true : ofKind(d.registry, kind)
  let head: Pick<KpiRanking, 'status' | 'frozenAt' | 'asOf' | 'scheme'>
  let rows
  let revisions: KpiRanking['revisions'] = []
  if (frozen) {
    // The frozen ranks are among every department; a kind is ranked again among itself.
    const previous = kind === null ? undefined : (await frozenPeriods(d.db, [periodLabel(previousPeriod(period))]))[0]?.rows
    rows = rankingRows(kind === null ? frozen.rows : officialOfKind(frozen.rows, previous, keep), d.registry)
    head = { status: 'official', frozenAt: frozen.frozenAt, asOf: periodEnd(period, d.zone), scheme: await schemeOf(d, frozen.scheme) }
    revisions = (await revisionsOf(d.db, label)).filter((r) => keep(r.dept) && ('all' in scope || r.dept === scope.dept)).map(revisionView)
  } else {
    const asOf = Math.min(d.now(), periodEnd(period, d.zone))
    rows = await ranking(d.db, period, { zone: d.zone, scheme: d.scheme, until: asOf, registry: d.registry, kind: kind ?? undefined })
    head = { status: 'live', frozenAt: null, asOf, scheme: schemeView(d.scheme) }
  }
  const ranked = rows.filter((r) => r.rank !== null).length
  const answered = 'all' in scope ? rows : rows.filter((r) => r.dept === scope.dept)
  return { period: label, unit: period.unit, ...head, kind, scope: 'all' in scope ? 'all' : 'own', ranked, rows: answered.map(rankingRowView), revisions }
}

/** readTrend answers GET /api/v1/kpi/departments/{dept}/trend: oldest first, the official row where a period is frozen. */
export async function readTrend(d: KpiReadDeps, dept: string, q: TrendQuery): Promise<KpiTrend> {
  const points = await trend(d.db, dept, q.first, q.last, { zone: d.zone, scheme: d.scheme, until: d.now(), registry: d.registry })
  const frozen = new Map((await frozenPeriods(d.db, points.map((p) => p.period))).map((f) => [f.period, f]))
  return {
    dept,
    name: nameOf(d.registry, dept),
    unit: q.unit,
    scheme: schemeView(d.scheme),
    points: points.map((p) => {
      const f = frozen.get(p.period)
      const row = f ? (f.rows.find((r) => r.dept === dept) ?? null) : p.row
      return { period: p.period, status: f ? 'official' : 'live', score: row?.score ?? null, grade: row?.grade ?? null, rank: row?.rank ?? null, indicators: row?.indicators ?? nulls(d.scheme) }
    }),
  }
}

/** nulls is every indicator of the scheme without data (无数据). */
function nulls(scheme: Scheme): Record<string, null> {
  return Object.fromEntries(scheme.categories.flatMap((c) => c.indicators.map((i) => [i.name, null])))
}

/**
 * readDrillDown answers GET /api/v1/kpi/departments/{dept}/drilldown: each count of the
 * indicator with at most `bound` of its cases (truncated says when more stand behind
 * it; the export passes Infinity). The indicator must be the scheme's (kpiQuery checks it).
 */
export async function readDrillDown(d: KpiReadDeps, dept: string, period: Period, indicator: string, bound: number): Promise<KpiDrillDown> {
  const until = Math.min(d.now(), periodEnd(period, d.zone))
  const x = await drillDown(d.db, dept, period, indicator, { zone: d.zone, scheme: d.scheme, until, registry: d.registry, maxCases: bound })
  const label = d.scheme.categories.flatMap((c) => c.indicators).find((i) => i.name === indicator)?.label ?? null
  return {
    period: x.period, dept, name: nameOf(d.registry, dept), indicator: x.indicator, label, value: x.value, scheme: x.scheme,
    parts: x.parts.map((p) => ({
      role: p.role, count: p.count, sign: p.sign, value: p.value,
      cases: p.cases.map((c) => ({ kind: c.kind, caseId: c.caseId, count: c.count, n: c.n, at: c.at, rule: c.rule })),
      truncated: p.truncated,
    })),
  }
}
