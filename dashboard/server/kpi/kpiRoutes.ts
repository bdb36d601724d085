/**
 * The KPI routes (绩效评测, docs/kpi.md "The API"), GET only, with a session (401 without):
 * - /api/v1/kpi/scheme — the scheme in force (KpiSchemeView);
 * - /api/v1/kpi/rankings?period=P[&kind=K] — a period's ranking (KpiRanking), official once frozen;
 * - /api/v1/kpi/rankings/export?period=P[&kind=K]&format=csv|xlsx[&lang=en];
 * - /api/v1/kpi/departments/{dept}/trend?unit=U[&periods=N][&until=P] — KpiTrend;
 * - /api/v1/kpi/departments/{dept}/drilldown?period=P&indicator=I — KpiDrillDown, MAX_DRILL_CASES a part;
 * - /api/v1/kpi/departments/{dept}/drilldown/export?period=P&indicator=I&format=csv|xlsx[&lang=en] — every case.
 * Scoped by role (kpiScope.ts): a department user reads its own row and rank, its own
 * trend and drill-down, and is answered 403 for another department's. A bad parameter
 * is a 400 naming it.
 */
import type { ServerResponse } from 'node:http'
import type { Sessions, User } from '../../../accounts/index.ts'
import { MAX_DRILL_CASES } from '../../../common/contract/index.ts'
import { sendJson } from '../../../common/http/index.ts'
import { frozenPeriods, kpiHasRun, type Period, periodLabel } from '../../../kpi/index.ts'
import { apiPath, type ConsoleHandler, endpoint, forbidden } from '../console/routeKit.ts'
import { sendExport } from './exportFile.ts'
import { drillTable, rankingTable } from './exportTable.ts'
import { type Bad, formatParam, indicatorParam, isBad, kindParam, langParam, periodParam, trendParams } from './kpiQuery.ts'
import { type KpiReadDeps, readDrillDown, readRanking, readTrend } from './kpiReads.ts'
import { kpiScope, mayReadDept, mayReadScheme } from './kpiScope.ts'
import { schemeView } from './schemeView.ts'

/** KpiRouteDeps is what the routes need: the reads' and the session store, and how instants are written in exports. */
export interface KpiRouteDeps extends KpiReadDeps {
  sessions: Sessions
  /** formats instants in the platform zone, for the exports */
  format: (t: number) => string
}

/** kpiRoutes builds the handler of /api/v1/kpi/…; it resolves false for any other path. */
export function kpiRoutes(deps: KpiRouteDeps): ConsoleHandler {
  // Once a kpi worker has run here, it has: asked until then.
  let ran = false
  const hasRun = async () => (ran ||= await kpiHasRun(deps.db))
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg[0] !== 'kpi') return false
    const [, what, dept, sub, tail] = p.seg
    const q = p.url.searchParams
    const get = (fn: (u: User) => Promise<void>) => endpoint(deps.sessions, req, res, 'GET', async (u) => {
      res.setHeader('cache-control', 'no-store')
      await fn(u)
    })
    // The figures, not the scheme, need a kpi worker to have counted them.
    const figures = (fn: (u: User) => Promise<void>) => get(async (u) => ((await hasRun()) ? fn(u) : sendJson(res, 503, NOT_RUNNING)))
    if (what === 'scheme' && p.seg.length === 2) return get(async (u) => (mayReadScheme(u) ? sendJson(res, 200, schemeView(deps.scheme)) : forbidden(res, u, 'read the figures')))
    if (what === 'rankings' && (p.seg.length === 2 || (p.seg.length === 3 && dept === 'export'))) return figures((u) => rankings(deps, u, q, res, p.seg.length === 3))
    if (what === 'departments' && dept !== undefined && sub === 'trend' && p.seg.length === 4) return figures((u) => asDept(u, dept, res, () => trendOf(deps, dept, q, res)))
    if (what === 'departments' && dept !== undefined && sub === 'drilldown' && (p.seg.length === 4 || (p.seg.length === 5 && tail === 'export'))) {
      return figures((u) => asDept(u, dept, res, () => drill(deps, dept, q, res, p.seg.length === 5)))
    }
    return false
  }
}

/** NOT_RUNNING answers a read of figures where no kpi worker ever ran (the cockpit says 绩效评测未运行). */
const NOT_RUNNING = {
  error: 'kpi_not_running',
  message: 'no kpi worker has run on this database, so there are no figures: start the kpi component (jiancha kpi; jiancha start runs it with DATABASE_URL, or with --kpi on the embedded database)',
}

/** bad answers 400 with the parameter's problem. */
const bad = (res: ServerResponse, b: Bad) => sendJson(res, 400, b)

/** asDept runs fn when the user may read the department's figures, else answers 403. */
async function asDept(u: User, dept: string, res: ServerResponse, fn: () => Promise<void>): Promise<void> {
  if (!mayReadDept(u, dept)) return forbidden(res, u, `read the figures of department ${dept}`)
  return fn()
}

/** rankings answers the ranking, or its export. */
async function rankings(deps: KpiRouteDeps, u: User, q: URLSearchParams, res: ServerResponse, asFile: boolean): Promise<void> {
  const scope = kpiScope(u)
  if ('none' in scope) return forbidden(res, u, 'read the rankings')
  const period = periodParam(q, deps.now(), deps.zone)
  if (isBad(period)) return bad(res, period)
  const kind = kindParam(q)
  if (isBad(kind)) return bad(res, kind)
  const file = asFile ? exportParams(q) : null
  if (isBad(file)) return bad(res, file)
  const r = await readRanking(deps, period, kind, scope)
  if (!file) return sendJson(res, 200, r)
  const base = ['kpi-ranking', r.period, ...(kind ? [kind] : []), ...('dept' in scope ? [scope.dept] : [])].join('-')
  return sendExport(res, rankingTable(r, file.lang, deps.format), file.format, base)
}

/** exportParams reads an export's format and language. */
function exportParams(q: URLSearchParams): { format: 'csv' | 'xlsx'; lang: 'zh-CN' | 'en' } | Bad {
  const format = formatParam(q)
  if (isBad(format)) return format
  const lang = langParam(q)
  return isBad(lang) ? lang : { format, lang }
}

/** trendOf answers a department's trend. */
async function trendOf(deps: KpiRouteDeps, dept: string, q: URLSearchParams, res: ServerResponse): Promise<void> {
  const t = trendParams(q, deps.now(), deps.zone)
  if (isBad(t)) return bad(res, t)
  return sendJson(res, 200, await readTrend(deps, dept, t))
}

/** drill answers a department's drill-down, bounded, or its export, whole. */
async function drill(deps: KpiRouteDeps, dept: string, q: URLSearchParams, res: ServerResponse, asFile: boolean): Promise<void> {
  const period: Period | Bad = periodParam(q, deps.now(), deps.zone)
  if (isBad(period)) return bad(res, period)
  const indicator = indicatorParam(q, deps.scheme)
  if (isBad(indicator)) return bad(res, indicator)
  const file = asFile ? exportParams(q) : null
  if (isBad(file)) return bad(res, file)
  const x = await readDrillDown(deps, dept, period, indicator, file ? Infinity : MAX_DRILL_CASES)
  if (!file) return sendJson(res, 200, x)
  const [frozen] = await frozenPeriods(deps.db, [periodLabel(period)])
  return sendExport(res, drillTable(x, frozen?.frozenAt ?? null, file.lang, deps.format), file.format, `kpi-drilldown-${dept}-${x.period}-${indicator}`)
}
