/**
 * Trends: the wall's 30-day figures as plain values, and the ECharts options that draw
 * them. A live card adds one to its department's day; the options keep the same series
 * ids, so an update merges into the charts (setOption) instead of rebuilding them. Every
 * series is bounded: TREND_DAYS days, HEAT_MAX_DEPTS departments, RATE_MINUTES minutes.
 */
import type { DailyTally, RatePoint } from '../../../common/contract/api.ts'
import { RATE_MINUTES, TREND_DAYS } from '../../../common/contract/api.ts'
import { levelLabel, t, type Lang } from './i18n.ts'
import { PALETTE } from './palette.ts'

/** HEAT_MAX_DEPTS bounds the heatmap's rows: the departments with most cards over the span. */
export const HEAT_MAX_DEPTS = 12

/** dayAxis lists the TREND_DAYS days ending at `today` (YYYY-MM-DD), oldest first. */
export function dayAxis(today: string, n = TREND_DAYS): string[] {
  const end = Date.parse(`${today}T00:00:00Z`)
  if (!Number.isFinite(end)) return []
  return Array.from({ length: n }, (_, i) => new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10))
}

/** addCard counts one live card on its day and department; the oldest days beyond the span fall off. */
export function addCard(daily: readonly DailyTally[], day: string, dept: string, level: 'yellow' | 'red', maxRows = TREND_DAYS * 100): DailyTally[] {
  const i = daily.findIndex((d) => d.day === day && d.dept === dept)
  const next = [...daily]
  if (i >= 0) next[i] = { ...next[i]!, [level]: next[i]![level] + 1 }
  else next.push({ day, dept, yellow: level === 'yellow' ? 1 : 0, red: level === 'red' ? 1 : 0 })
  next.sort((a, b) => a.day.localeCompare(b.day) || a.dept.localeCompare(b.dept))
  return next.slice(-maxRows)
}

/** perDay sums the departments: yellow and red per day of the axis. */
export function perDay(daily: readonly DailyTally[], days: readonly string[]): { yellow: number[]; red: number[] } {
  const at = new Map(days.map((d, i) => [d, i]))
  const yellow = days.map(() => 0)
  const red = days.map(() => 0)
  for (const d of daily) {
    const i = at.get(d.day)
    if (i === undefined) continue
    yellow[i]! += d.yellow
    red[i]! += d.red
  }
  return { yellow, red }
}

/** heatCells gives the heatmap's departments (most cards first, bounded) and its [day, row, cards] cells. */
export function heatCells(daily: readonly DailyTally[], days: readonly string[], n = HEAT_MAX_DEPTS): { depts: string[]; cells: Array<[number, number, number]> } {
  const at = new Map(days.map((d, i) => [d, i]))
  const totals = new Map<string, number>()
  for (const d of daily) if (at.has(d.day)) totals.set(d.dept, (totals.get(d.dept) ?? 0) + d.yellow + d.red)
  const depts = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([d]) => d)
  const row = new Map(depts.map((d, i) => [d, i]))
  const cells: Array<[number, number, number]> = []
  for (const d of daily) {
    const x = at.get(d.day)
    const y = row.get(d.dept)
    if (x !== undefined && y !== undefined) cells.push([x, y, d.yellow + d.red])
  }
  return { depts, cells }
}

/** rateSeries puts the per-minute counts on a RATE_MINUTES axis ending at the latest minute (`until`, epoch ms); missing minutes count 0. */
export function rateSeries(rate: readonly RatePoint[], until: number, n = RATE_MINUTES): { minutes: number[]; events: number[] } {
  const last = Math.floor(until / 60_000) * 60_000
  const minutes = Array.from({ length: n }, (_, i) => last - (n - 1 - i) * 60_000)
  const by = new Map(rate.map((r) => [Math.floor(Date.parse(r.minute) / 60_000) * 60_000, r.events]))
  return { minutes, events: minutes.map((m) => by.get(m) ?? 0) }
}

const axisText = { color: PALETTE.textMuted }

/** trendOption draws cards per day: one line per level, told apart by symbol and dash as well as colour. */
export function trendOption(daily: readonly DailyTally[], days: readonly string[], lang: Lang) {
  const { yellow, red } = perDay(daily, days)
  return {
    animation: false,
    grid: { left: 48, right: 24, top: 40, bottom: 32 },
    legend: { top: 0, textStyle: { color: PALETTE.text }, data: [levelLabel(lang, 'yellow'), levelLabel(lang, 'red')] },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisLabel: axisText },
    yAxis: { type: 'value', minInterval: 1, axisLabel: axisText, splitLine: { lineStyle: { color: PALETTE.panelEdge } } },
    series: [
      { id: 'yellow', type: 'line', name: levelLabel(lang, 'yellow'), data: yellow, symbol: 'circle', symbolSize: 7, itemStyle: { color: PALETTE.yellow }, lineStyle: { type: 'solid' } },
      { id: 'red', type: 'line', name: levelLabel(lang, 'red'), data: red, symbol: 'triangle', symbolSize: 9, itemStyle: { color: PALETTE.red }, lineStyle: { type: 'dashed' } },
    ],
  }
}

/** heatOption draws the department × day heatmap; each cell also shows its number, so colour is not the only signal. */
export function heatOption(daily: readonly DailyTally[], days: readonly string[], name: (dept: string) => string) {
  const { depts, cells } = heatCells(daily, days)
  const max = Math.max(1, ...cells.map((c) => c[2]))
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 48, containLabel: true },
    xAxis: { type: 'category', data: days.map((d) => d.slice(8)), axisLabel: axisText, splitArea: { show: false } },
    yAxis: { type: 'category', data: depts.map(name), axisLabel: { color: PALETTE.text }, inverse: true },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 160, textStyle: { color: PALETTE.text }, inRange: { color: [PALETTE.panel, PALETTE.yellow, PALETTE.red] } },
    series: [{ id: 'heat', type: 'heatmap', data: cells, label: { show: true, color: PALETTE.yellowInk, fontSize: 10 } }],
  }
}

/** rateOption draws events per minute as bars. */
export function rateOption(minutes: readonly number[], events: readonly number[], label: (t: number) => string) {
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: minutes.map(label), axisLabel: axisText },
    yAxis: { type: 'value', minInterval: 1, axisLabel: axisText, splitLine: { lineStyle: { color: PALETTE.panelEdge } } },
    series: [{ id: 'rate', type: 'bar', data: [...events], itemStyle: { color: PALETTE.ok } }],
  }
}

/** rateSummary is the rate in words: the last minute and the average over the span. */
export function rateSummary(events: readonly number[], lang: Lang): string {
  const m = events.length
  if (!events.some((n) => n > 0)) return t(lang, 'rate.empty', { m })
  const avg = events.reduce((a, b) => a + b, 0) / m
  return t(lang, 'rate.now', { n: events.at(-1) ?? 0, avg: avg.toFixed(1), m })
}
