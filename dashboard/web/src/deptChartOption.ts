/**
 * Department chart options: what ECharts draws for "open cards per department".
 * The base option is set once when the chart is created; later updates carry only
 * axis labels and series data under the same series ids, so ECharts merges them
 * into the existing series instead of rebuilding anything.
 */
import type { DeptTally } from '../../../common/contract/api.ts'
import { levelLabel, type Lang } from './i18n.ts'
import { PALETTE } from './palette.ts'

/** CHART_MAX_DEPTS bounds the bars on screen: the departments with most open cards. */
export const CHART_MAX_DEPTS = 15

/**
 * topDepts picks the departments to draw as a ranking: most open cards first, so the
 * bars shrink from top to bottom and read as one; more red cards break a tie, then the code.
 */
export function topDepts(byDept: readonly DeptTally[], n = CHART_MAX_DEPTS): DeptTally[] {
  return byDept
    .filter((d) => d.yellow + d.red > 0)
    .sort((a, b) => b.red + b.yellow - (a.red + a.yellow) || b.red - a.red || a.dept.localeCompare(b.dept))
    .slice(0, n)
}

/** chartUpdate is the option that moves the chart to new data; series ids match chartBase. */
export function chartUpdate(byDept: readonly DeptTally[], lang: Lang, name: (dept: string) => string) {
  const rows = topDepts(byDept)
  const totals = rows.map((d) => d.yellow + d.red)
  const yellow = levelLabel(lang, 'yellow')
  const red = levelLabel(lang, 'red')
  return {
    legend: { data: [yellow, red] },
    yAxis: { data: rows.map((d) => name(d.dept)) },
    series: [
      { id: 'yellow', name: yellow, data: rows.map((d) => d.yellow) },
      { id: 'red', name: red, data: rows.map((d) => d.red) },
      // An empty bar stacked last carries each department's total at the end of its bar.
      { id: 'total', name: 'total', data: rows.map(() => 0), label: { formatter: (p: { dataIndex: number }) => String(totals[p.dataIndex] ?? '') } },
    ],
  }
}

/** Typography is the page's font, which the canvas cannot inherit by itself. */
export interface Typography {
  /** A real font list (the page's computed one): canvas ignores CSS keywords like "inherit". */
  fontFamily: string
  /** The page's rem in px; the wall's CSS scales it with the screen width. */
  remPx: number
}

/** chartFonts sizes the chart's text to the page; set again when the screen size changes. */
export function chartFonts({ fontFamily, remPx }: Typography) {
  const size = Math.round(remPx * 1.05)
  return {
    textStyle: { fontFamily },
    legend: { textStyle: { fontSize: size }, itemWidth: size, itemHeight: size },
    xAxis: { axisLabel: { fontSize: size } },
    yAxis: { axisLabel: { fontSize: size } },
    series: [{ id: 'yellow' }, { id: 'red' }, { id: 'total', label: { fontSize: size } }],
  }
}

/** chartBase is the chart's first option: axes, colours, fonts, and the stacked series. */
export function chartBase(byDept: readonly DeptTally[], lang: Lang, name: (dept: string) => string, typo: Typography) {
  const update = chartUpdate(byDept, lang, name)
  const fonts = chartFonts(typo)
  const [yellow, red, total] = update.series
  const bar = { type: 'bar' as const, stack: 'open', barMaxWidth: 26, emphasis: { disabled: true }, silent: true }
  return {
    backgroundColor: 'transparent',
    textStyle: fonts.textStyle,
    animationDurationUpdate: 300,
    grid: { left: 8, right: 48, top: 44, bottom: 8, containLabel: true },
    legend: { ...update.legend, ...fonts.legend, top: 0, right: 0, textStyle: { ...fonts.legend.textStyle, color: PALETTE.text } },
    xAxis: {
      type: 'value' as const,
      minInterval: 1,
      splitNumber: 4, // the names may take half the width: fewer, readable ticks
      axisLabel: { ...fonts.xAxis.axisLabel, color: PALETTE.textMuted },
      splitLine: { lineStyle: { color: PALETTE.panelEdge } },
    },
    yAxis: {
      ...update.yAxis,
      type: 'category' as const,
      inverse: true, // worst department on top, where the eye starts
      // Names are never cut ("Market Regulati…" tells no bureau apart): the grid makes room for the longest (containLabel).
      axisLabel: { ...fonts.yAxis.axisLabel, color: PALETTE.text, overflow: 'none' as const },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: PALETTE.panelEdge } },
    },
    series: [
      { ...bar, ...yellow, itemStyle: { color: PALETTE.yellow } },
      { ...bar, ...red, itemStyle: { color: PALETTE.redBadge, borderColor: PALETTE.red, borderWidth: 1 } },
      {
        ...bar,
        ...total,
        itemStyle: { color: 'transparent' },
        label: { ...total!.label, ...fonts.series[2]!.label, show: true, position: 'right' as const, color: PALETTE.text, fontWeight: 'bold' as const },
      },
    ],
  }
}
