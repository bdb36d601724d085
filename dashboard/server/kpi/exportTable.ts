/**
 * What an export holds, before it is a file: a few lines that say what it is (period,
 * status 正式/实时, the scheme's version…), the column headers, in Chinese by default
 * and in English with lang=en, and the rows. Figures without data are written 无数据
 * (no data), never 0. Pure; exportFile.ts writes it as CSV or xlsx.
 */
import type { KpiDrillDown, KpiRanking } from '../../../common/contract/index.ts'
import { KIND_NAMES } from '../../../common/departments/index.ts'
import type { Lang } from './kpiQuery.ts'

/** Cell is one value of a table: text, or a number (written as a number in xlsx). */
export type Cell = string | number

/** ExportTable is an export's content. */
export interface ExportTable {
  /** the xlsx sheet's name */
  sheet: string
  /** label and value lines before the table */
  meta: Array<[string, string]>
  header: string[]
  rows: Cell[][]
}

const WORDS = {
  'zh-CN': {
    rankingSheet: '排名', drillSheet: '明细', period: '考评周期', status: '状态', official: '正式', live: '实时', scheme: '方案版本', frozenAt: '冻结时间', asOf: '数据截至',
    kind: '部门类型', allKinds: '全部', scope: '范围', all: '全部部门', own: '本部门', ranked: '参与排名部门数', noData: '无数据', newRank: '新',
    rank: '排名', previousRank: '上期排名', movement: '变动', dept: '部门代码', name: '部门名称', score: '得分', grade: '等级', workload: '办件量',
    indicator: '指标', value: '指标值', drillStatus: '明细为当前计数', role: '构成', count: '计数', caseKind: '案件类型', caseId: '案件编号', n: '数量', at: '计入时间', rule: '规则',
    numerator: '分子', denominator: '分母', deduction: '扣分项', base: '基数', minus: '（减）',
  },
  en: {
    rankingSheet: 'Ranking', drillSheet: 'Cases', period: 'Period', status: 'Status', official: 'Official', live: 'Live', scheme: 'Scheme version', frozenAt: 'Frozen at', asOf: 'Figures up to',
    kind: 'Kind of department', allKinds: 'All', scope: 'Scope', all: 'All departments', own: 'Own department', ranked: 'Departments ranked', noData: 'no data', newRank: 'new',
    rank: 'Rank', previousRank: 'Previous rank', movement: 'Movement', dept: 'Department code', name: 'Department', score: 'Score', grade: 'Grade', workload: 'Workload',
    indicator: 'Indicator', value: 'Value', drillStatus: 'Cases as counted now', role: 'Part', count: 'Count', caseKind: 'Case kind', caseId: 'Case ID', n: 'Units', at: 'Counted at', rule: 'Rule',
    numerator: 'numerator', denominator: 'denominator', deduction: 'deduction', base: 'base', minus: ' (minus)',
  },
} as const

/** or writes a figure, or "no data" for null. */
const or = (lang: Lang) => (v: number | null): Cell => (v === null ? WORDS[lang].noData : v)

/** movementText writes ▲2, ▼1, = or new. */
function movementText(r: KpiRanking['rows'][number], lang: Lang): string {
  if (r.places === null) return WORDS[lang].newRank
  return r.places > 0 ? `▲${r.places}` : r.places < 0 ? `▼${-r.places}` : '='
}

/** rankingTable is a ranking's export: one row per department answered, its categories and indicators by their labels. */
export function rankingTable(r: KpiRanking, lang: Lang, format: (t: number) => string): ExportTable {
  const w = WORDS[lang]
  const num = or(lang)
  const cats = r.scheme.categories
  const inds = cats.flatMap((c) => c.indicators)
  // A scheme's labels are Chinese; the English export names the indicator by its code.
  const title = (x: { name: string; label: string | null }) => (lang === 'en' ? x.name : (x.label ?? x.name))
  return {
    sheet: w.rankingSheet,
    meta: [
      [w.period, r.period],
      [w.status, r.status === 'official' ? w.official : w.live],
      [w.scheme, r.scheme.version],
      r.frozenAt === null ? [w.asOf, format(r.asOf)] : [w.frozenAt, format(r.frozenAt)],
      [w.kind, r.kind === null ? w.allKinds : KIND_NAMES[r.kind][lang]],
      [w.scope, r.scope === 'all' ? w.all : w.own],
      [w.ranked, String(r.ranked)],
    ],
    header: [w.rank, w.previousRank, w.movement, w.dept, w.name, w.kind, w.score, w.grade, w.workload, ...cats.map(title), ...inds.map(title)],
    rows: r.rows.map((x) => [
      num(x.rank), num(x.previousRank), movementText(x, lang), x.dept, x.name[lang], x.kind === null ? '' : KIND_NAMES[x.kind][lang], num(x.score), x.grade ?? w.noData, x.counts.workload ?? 0,
      ...cats.map((c) => num(x.categories[c.name] ?? null)), ...inds.map((i) => num(x.indicators[i.name] ?? null)),
    ]),
  }
}

/** drillTable is a drill-down's export: every case of every part (not bounded), with the instant and the rule. */
export function drillTable(x: KpiDrillDown, frozenAt: number | null, lang: Lang, format: (t: number) => string): ExportTable {
  const w = WORDS[lang]
  return {
    sheet: w.drillSheet,
    meta: [
      [w.period, x.period],
      [w.status, frozenAt === null ? w.live : `${w.official} (${w.frozenAt} ${format(frozenAt)}); ${w.drillStatus}`],
      [w.scheme, x.scheme],
      [w.dept, x.dept],
      [w.name, x.name[lang]],
      [w.indicator, lang === 'en' || x.label === null ? x.indicator : `${x.label} (${x.indicator})`],
      [w.value, x.value === null ? w.noData : String(x.value)],
    ],
    header: [w.role, w.count, w.value, w.caseKind, w.caseId, w.n, w.at, w.rule],
    rows: x.parts.flatMap((p) => {
      const part = [`${w[p.role]}${p.sign < 0 ? w.minus : ''}`, p.count, p.value]
      // A part with no case still shows, with its 0.
      if (!p.cases.length) return [[...part, '', '', '', '', '']]
      return p.cases.map((c): Cell[] => [...part, c.kind, c.caseId, c.n, format(c.at), c.rule ?? ''])
    }),
  }
}
