import { describe, expect, it } from 'vitest'
import type { KpiTrend } from '../../../common/contract/api.ts'
import { MAX_KPI_TREND_PERIODS } from '../../../common/contract/api.ts'
import { latestScore, trendOption, trendSeriesData } from './kpiTrendOption.ts'

const trend = (scores: Array<number | null>): KpiTrend => ({
  dept: 'market',
  name: { 'zh-CN': '市场监管局', en: 'Market Regulation Bureau' },
  unit: 'month',
  scheme: {
    version: 'sha256:x',
    categories: [{ name: 'efficiency', label: '效能', weight: 20, indicators: [{ name: 'approval_on_time', label: '审批按时办结率', weight: 15 }, { name: 'mine', label: null, weight: 5 }] }],
    grades: [],
  },
  points: scores.map((s, i) => ({ period: `2026-${String(i + 1).padStart(2, '0')}`, status: 'live' as const, score: s, grade: null, rank: null, indicators: (s === null ? {} : { approval_on_time: s, mine: null }) as Record<string, number | null> })),
})

describe('kpiTrendOption', () => {
  it('keeps a period with no data as a gap, never as 0', () => {
    const d = trendSeriesData(trend([80, null, 90]))
    expect(d.periods).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(d.score).toEqual([80, null, 90])
    expect(d.indicators.map((i) => [i.name, i.data])).toEqual([['approval_on_time', [80, null, 90]], ['mine', [null, null, null]]])
  })

  it('draws the score and every indicator under stable ids, lines that do not join over gaps', () => {
    const o = trendOption(trend([70, null, 75.5]), 'zh-CN')
    expect(o.series.map((s) => s.id)).toEqual(['score', 'ind:approval_on_time', 'ind:mine'])
    expect(o.series.every((s) => s.connectNulls === false)).toBe(true)
    // 'mine' has no data in the span: drawn as nothing, and left out of the legend.
    expect(o.legend.data).toEqual(['总分', '审批按时办结率'])
    expect(o.xAxis.data).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(o.series[0]!.data).toEqual([70, null, 75.5])
    // Told apart by more than colour: each indicator has its own symbol or dash.
    expect(o.series[1]!.symbol).not.toBe(o.series[2]!.symbol)
    expect(trendOption(trend([1]), 'en').legend.data).toEqual(['Score', 'Approvals concluded on time'])
  })

  it('bounds the periods drawn', () => {
    const long = trendSeriesData(trend(Array.from({ length: MAX_KPI_TREND_PERIODS + 4 }, () => 50)))
    expect(long.periods).toHaveLength(MAX_KPI_TREND_PERIODS)
  })

  it('finds the latest score that exists', () => {
    expect(latestScore(trend([60, 70, null]))).toBe(70)
    expect(latestScore(trend([null]))).toBeNull()
  })
})
