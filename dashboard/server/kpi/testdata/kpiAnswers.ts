/** Answers of the KPI API built by hand, for the export tests: a ranking of two rows and a drill-down. */
import type { KpiDrillDown, KpiRanking } from '../../../../common/contract/index.ts'
import { defaultScheme } from '../../../../kpi/index.ts'
import { schemeView } from '../schemeView.ts'

const scheme = schemeView(defaultScheme())
const names = scheme.categories.flatMap((c) => c.indicators.map((i) => i.name))
const indicators = (v: Record<string, number>) => Object.fromEntries(names.map((n) => [n, v[n] ?? null]))

/** RANKING is November's official ranking of two approval bureaus; 市场监管局's name starts with "=" to try a formula. */
export const RANKING: KpiRanking = {
  period: '2026-11', unit: 'month', status: 'official', frozenAt: Date.parse('2026-12-04T00:00:00+08:00'), asOf: Date.parse('2026-12-01T00:00:00+08:00'),
  kind: 'approval', scheme, scope: 'all', ranked: 2, revisions: [],
  rows: [
    { dept: 'tax', name: { 'zh-CN': '税务局', en: 'Tax Bureau' }, kind: 'approval', counts: { workload: 1 }, indicators: indicators({ approval_on_time: 100, cards: 100 }),
      categories: { efficiency: 100, compliance: 100, completion: null, evaluation: null, cooperation: null }, score: 100, grade: '优秀', rank: 1, previousRank: null, movement: 'new', places: null },
    { dept: 'market', name: { 'zh-CN': '=市场,"监管"局', en: 'Market' }, kind: 'approval', counts: { workload: 2 }, indicators: indicators({ approval_on_time: 50, cards: 0 }),
      categories: { efficiency: 50, compliance: 0, completion: null, evaluation: null, cooperation: null }, score: 27.27, grade: '不合格', rank: 2, previousRank: 1, movement: 'down', places: -1 },
  ],
}

/** DRILL is market's November cards deduction: no yellow card, one red, two cases of workload. */
export const DRILL: KpiDrillDown = {
  period: '2026-11', dept: 'market', name: { 'zh-CN': '市场监管局', en: 'Market' }, indicator: 'cards', label: '红黄牌扣分', value: 0, scheme: scheme.version,
  parts: [
    { role: 'deduction', count: 'cards.yellow', sign: 1, value: 0, cases: [], truncated: false },
    { role: 'deduction', count: 'cards.red', sign: 1, value: 1, cases: [{ kind: 'approval', caseId: 'A-2', count: 'cards.red', n: 1, at: Date.parse('2026-11-10T00:00:00+08:00'), rule: 'approval.overdue' }], truncated: false },
    { role: 'base', count: 'workload', sign: 1, value: 2, truncated: false, cases: [
      { kind: 'approval', caseId: 'A-1', count: 'workload.month', n: 1, at: Date.parse('2026-11-02T09:00:00+08:00'), rule: null },
      { kind: 'approval', caseId: '-A-2', count: 'workload.month', n: 1, at: Date.parse('2026-11-02T09:00:00+08:00'), rule: null },
    ] },
  ],
}
