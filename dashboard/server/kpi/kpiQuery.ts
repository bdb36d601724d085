/**
 * The KPI routes' query parameters, read and checked: a period (2026-11, 2026-Q4, 2026;
 * the current month in the platform zone when left out), a kind of department, a trend's
 * unit, length and last period, an indicator of the scheme, an export's format and
 * language. Pure: each answers the value or the 400's message naming the parameter.
 */
import { DEPT_KINDS, type DeptKind, KPI_TREND_PERIODS, MAX_KPI_TREND_PERIODS } from '../../../common/contract/index.ts'
import type { Zone } from '../../../common/time/index.ts'
import { parsePeriod, type Period, periodOf, PERIOD_UNITS, type PeriodUnit, type Scheme } from '../../../kpi/index.ts'

/** Bad is a parameter that cannot be used: the 400's message. */
export interface Bad {
  error: string
}

/** isBad tells a refusal from a value. */
export function isBad<T>(v: T | Bad): v is Bad {
  return typeof v === 'object' && v !== null && 'error' in v
}

/** periodParam reads `period`; absent, the month that holds `now` in the zone. */
export function periodParam(q: URLSearchParams, now: number, zone: Zone): Period | Bad {
  const v = q.get('period')
  if (v === null || v === '') return periodOf(now, 'month', zone)
  try {
    return parsePeriod(v)
  } catch {
    return { error: `period must be a month (2026-11), a quarter (2026-Q4) or a year (2026), got "${v}"` }
  }
}

/** kindParam reads `kind`, a kind of department (docs/departments.md), or null for every kind. */
export function kindParam(q: URLSearchParams): DeptKind | null | Bad {
  const v = q.get('kind')
  if (v === null || v === '') return null
  return (DEPT_KINDS as readonly string[]).includes(v) ? (v as DeptKind) : { error: `kind must be one of ${DEPT_KINDS.join(', ')}, got "${v}"` }
}

/** TrendQuery is a trend's span: `periods` periods of `unit` up to `last`, included. */
export interface TrendQuery {
  unit: PeriodUnit
  first: Period
  last: Period
}

/** trendParams reads `unit` (month by default), `periods` (1..MAX_KPI_TREND_PERIODS, 12 by default) and `until` (a period of that unit; the current one by default). */
export function trendParams(q: URLSearchParams, now: number, zone: Zone): TrendQuery | Bad {
  const unit = q.get('unit') ?? 'month'
  if (!(PERIOD_UNITS as readonly string[]).includes(unit)) return { error: `unit must be one of ${PERIOD_UNITS.join(', ')}, got "${unit}"` }
  const u = unit as PeriodUnit
  const n = q.get('periods') ?? String(KPI_TREND_PERIODS)
  if (!/^\d{1,3}$/.test(n) || Number(n) < 1 || Number(n) > MAX_KPI_TREND_PERIODS) return { error: `periods must be a whole number from 1 to ${MAX_KPI_TREND_PERIODS}, got "${n}"` }
  const until = q.get('until')
  let last: Period
  if (until === null || until === '') last = periodOf(now, u, zone)
  else {
    try {
      last = parsePeriod(until)
    } catch {
      return { error: `until must be a period (2026-11, 2026-Q4, 2026), got "${until}"` }
    }
    if (last.unit !== u) return { error: `until must be a ${u} like the unit, got "${until}"` }
  }
  return { unit: u, first: { unit: u, n: last.n - Number(n) + 1 }, last }
}

/** indicatorParam reads `indicator`, which must name one of the scheme's. */
export function indicatorParam(q: URLSearchParams, scheme: Scheme): string | Bad {
  const v = q.get('indicator')
  const all = scheme.categories.flatMap((c) => c.indicators.map((i) => i.name))
  if (v === null || v === '') return { error: `indicator is required: one of ${all.join(', ')}` }
  return all.includes(v) ? v : { error: `unknown indicator "${v}"; the scheme ${scheme.version} has ${all.join(', ')}` }
}

/** ExportFormat is a file an export is written as. */
export type ExportFormat = 'csv' | 'xlsx'

/** formatParam reads `format`: csv or xlsx (required). */
export function formatParam(q: URLSearchParams): ExportFormat | Bad {
  const v = q.get('format')
  return v === 'csv' || v === 'xlsx' ? v : { error: `format must be csv or xlsx, got ${v === null ? 'none' : `"${v}"`}` }
}

/** Lang is an export's language: zh-CN by default, English with lang=en. */
export type Lang = 'zh-CN' | 'en'

/** langParam reads `lang`: zh-CN (or absent) or en. */
export function langParam(q: URLSearchParams): Lang | Bad {
  const v = q.get('lang')
  if (v === null || v === '' || v === 'zh-CN' || v === 'zh') return 'zh-CN'
  return v === 'en' ? 'en' : { error: `lang must be zh-CN or en, got "${v}"` }
}
