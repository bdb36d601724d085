/**
 * kpiLabels: how the cockpit names and writes the KPI figures. A scheme's categories,
 * indicators and grades are data with Chinese labels; the default scheme's have English
 * names in i18nKpi.ts, and any other shows its own label (else its name) in both
 * languages. A missing figure reads 无数据 in words, never as 0 or blank.
 */
import type { KpiSchemeView } from '../../../common/contract/api.ts'
import { isKey, t, type Lang } from './i18n.ts'

/** known looks a key up, falling back to `raw` for one the app has no name for. */
function known(lang: Lang, key: string, raw: string): string {
  return isKey(key) ? t(lang, key) : raw
}

/** schemeLabel names a category ('cat') or indicator ('ind'): in Chinese the scheme's own label first, in English the app's name first. */
export function schemeLabel(lang: Lang, what: 'cat' | 'ind', name: string, label: string | null): string {
  const key = `kpi.${what}.${name}`
  if (lang === 'zh-CN') return label ?? known(lang, key, name)
  return known(lang, key, label ?? name)
}

/** gradeLabel names a grade (优秀 → Excellent in English); an unknown grade shows as the scheme names it. */
export function gradeLabel(lang: Lang, grade: string | null): string {
  return grade === null ? t(lang, 'kpi.noData') : known(lang, `kpi.grade.${grade}`, grade)
}

/** countLabel names a count of kpi.md §2 (approval.on_time → 审批按时办结). */
export function countLabel(lang: Lang, count: string): string {
  return known(lang, `kpi.count.${count}`, count)
}

/** figure writes a score or indicator value: at most 2 decimals, 无数据 for null. */
export function figure(lang: Lang, n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return t(lang, 'kpi.noData')
  return String(Math.round(n * 100) / 100)
}

/** SchemeColumn is one category column of the ranking, in scheme order. */
export interface SchemeColumn {
  name: string
  label: string
  weight: number
}

/** categoryColumns lists the ranking's category columns from the scheme that produced it. */
export function categoryColumns(lang: Lang, scheme: KpiSchemeView): SchemeColumn[] {
  return scheme.categories.map((c) => ({ name: c.name, label: schemeLabel(lang, 'cat', c.name, c.label), weight: c.weight }))
}

/** IndicatorRow is one indicator of a department, with its category, for the drill-down. */
export interface IndicatorRow {
  name: string
  label: string
  category: string
  weight: number
  value: number | null
}

/** indicatorRows lists a department's indicators in scheme order, each with its value (null: 无数据). */
export function indicatorRows(lang: Lang, scheme: KpiSchemeView, values: Record<string, number | null>): IndicatorRow[] {
  return scheme.categories.flatMap((c) =>
    c.indicators.map((i) => ({
      name: i.name,
      label: schemeLabel(lang, 'ind', i.name, i.label),
      category: schemeLabel(lang, 'cat', c.name, c.label),
      weight: i.weight,
      value: Object.hasOwn(values, i.name) ? (values[i.name] ?? null) : null,
    })),
  )
}
