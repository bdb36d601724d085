/**
 * kpiExport: the addresses of the cockpit's exports (CSV, xlsx), of its reads, and of
 * the pages a drill-down's cases open (a case page, or a thread's for the cooperation counts). An
 * export is a plain link to the server's export route with the page's language, so the
 * browser downloads the file with the session cookie and nothing is built in the page.
 */
import type { DeptKind, KpiDrillCase, KpiUnit } from '../../../common/contract/api.ts'
import type { Lang } from './i18n.ts'
import { caseHash, toHash } from './router.ts'

/** ExportFormat is a file an export is written as. */
export type ExportFormat = 'csv' | 'xlsx'

/** EXPORT_FORMATS lists the export buttons, in order. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx']

const seg = encodeURIComponent

/** query writes the parameters that have a value, in the order given. */
function query(params: Record<string, string | number | null | undefined>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** rankingPath is GET /api/v1/kpi/rankings; no period: the server's current month. */
export function rankingPath(period: string | null, kind: DeptKind | null): string {
  return `/api/v1/kpi/rankings${query({ period, kind })}`
}

/** trendPath is GET /api/v1/kpi/departments/{dept}/trend, `periods` periods of `unit` up to `until`. */
export function trendPath(dept: string, unit: KpiUnit, periods: number, until: string | null): string {
  return `/api/v1/kpi/departments/${seg(dept)}/trend${query({ unit, periods, until })}`
}

/** drillPath is GET /api/v1/kpi/departments/{dept}/drilldown for one indicator. */
export function drillPath(dept: string, period: string, indicator: string): string {
  return `/api/v1/kpi/departments/${seg(dept)}/drilldown${query({ period, indicator })}`
}

/** reformPath is GET /api/v1/kpi/reform over local dates, both YYYY-MM-DD. */
export function reformPath(from: string, until: string): string {
  return `/api/v1/kpi/reform${query({ from, until })}`
}

/** rankingExportUrl is the ranking's export in `format`, headings in `lang`. */
export function rankingExportUrl(period: string, kind: DeptKind | null, format: ExportFormat, lang: Lang): string {
  return `/api/v1/kpi/rankings/export${query({ period, kind, format, lang })}`
}

/** drillExportUrl is one indicator's drill-down export, every case included. */
export function drillExportUrl(dept: string, period: string, indicator: string, format: ExportFormat, lang: Lang): string {
  return `/api/v1/kpi/departments/${seg(dept)}/drilldown/export${query({ period, indicator, format, lang })}`
}

/** drillCaseHash is where a drill-down's case opens: its case page, or for a supervision thread (kind 'thread') its thread in the console; null for a thread id it cannot read. */
export function drillCaseHash(c: Pick<KpiDrillCase, 'kind' | 'caseId'>): string | null {
  if (c.kind !== 'thread') return caseHash(c.kind, c.caseId)
  return /^[1-9]\d{0,14}$/.test(c.caseId) ? toHash({ page: 'console', thread: Number(c.caseId) }) : null
}
