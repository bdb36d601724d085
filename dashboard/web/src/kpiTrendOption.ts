/**
 * kpiTrendOption: the ECharts option of a department's trend: its score and each
 * indicator over the periods of a KpiTrend (oldest first, at most MAX_KPI_TREND_PERIODS).
 * A period with no data is null, so its line breaks there rather than dropping to 0.
 * Series ids are the score's and the indicators' names, so a live re-read merges into
 * the chart (setOption) instead of rebuilding it. Lines differ by dash and symbol too.
 */
import type { KpiTrend } from '../../../common/contract/api.ts'
import { MAX_KPI_TREND_PERIODS } from '../../../common/contract/api.ts'
import { t, type Lang } from './i18n.ts'
import { schemeLabel } from './kpiLabels.ts'
import { PALETTE } from './palette.ts'

const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow', 'roundRect'] as const
const DASHES = ['solid', 'dashed', 'dotted'] as const
// Light enough on the dark panel for 3:1 as graphics; the legend names every line as well.
const COLOURS = ['#8ec5ff', '#f5c84c', '#5fd38d', '#ffb4a9', '#d5b3ff', '#7fe0e0', '#ffd59e', '#c6e57a', '#ff9ecb', '#b9c6d8', '#9fb4ff']

/** trendSeriesData is each line's values by period: the score's and every scheme indicator's, null for 无数据. */
export function trendSeriesData(trend: KpiTrend): { periods: string[]; score: Array<number | null>; indicators: Array<{ name: string; label: string | null; data: Array<number | null> }> } {
  const points = trend.points.slice(-MAX_KPI_TREND_PERIODS)
  const value = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
  return {
    periods: points.map((p) => p.period),
    score: points.map((p) => value(p.score)),
    indicators: trend.scheme.categories.flatMap((c) => c.indicators).map((i) => ({
      name: i.name,
      label: i.label,
      data: points.map((p) => value(Object.hasOwn(p.indicators, i.name) ? p.indicators[i.name] : null)),
    })),
  }
}

/** trendOption draws the trend: the score bold, the indicators thinner, every one named in the legend. */
export function trendOption(trend: KpiTrend, lang: Lang) {
  const d = trendSeriesData(trend)
  const scoreName = t(lang, 'kpi.trend.score')
  const names = d.indicators.map((i) => schemeLabel(lang, 'ind', i.name, i.label))
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 24, top: 72, bottom: 32 },
    // Every indicator keeps its series (stable ids for merges); the legend names only those with data in the span.
    legend: { type: 'scroll', top: 0, textStyle: { color: PALETTE.text }, pageTextStyle: { color: PALETTE.text }, data: [scoreName, ...names.filter((_, k) => d.indicators[k]!.data.some((v) => v !== null))] },
    xAxis: { type: 'category', data: d.periods, axisLabel: { color: PALETTE.textMuted } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: PALETTE.textMuted }, splitLine: { lineStyle: { color: PALETTE.panelEdge } } },
    series: [
      { id: 'score', type: 'line', name: scoreName, data: d.score, connectNulls: false, symbol: 'circle', symbolSize: 9, lineStyle: { width: 4, type: 'solid' }, itemStyle: { color: PALETTE.text }, z: 3 },
      ...d.indicators.map((ind, k) => ({
        id: `ind:${ind.name}`,
        type: 'line',
        name: names[k]!,
        data: ind.data,
        connectNulls: false,
        symbol: SYMBOLS[k % SYMBOLS.length],
        symbolSize: 6,
        lineStyle: { width: 1.5, type: DASHES[k % DASHES.length] },
        itemStyle: { color: COLOURS[k % COLOURS.length] },
      })),
    ],
  }
}

/** latestScore is the newest period's score that has one, for the chart's words; null when none has. */
export function latestScore(trend: KpiTrend): number | null {
  for (let i = trend.points.length - 1; i >= 0; i--) {
    const s = trend.points[i]!.score
    if (s !== null) return s
  }
  return null
}
