import { describe, expect, it } from 'vitest'
import { CHART_MAX_DEPTS, chartBase, chartFonts, chartUpdate, topDepts } from './deptChartOption.ts'

const byDept = [
  { dept: 'tax', yellow: 9, red: 0 },
  { dept: 'health', yellow: 1, red: 3 },
  { dept: 'env', yellow: 4, red: 3 },
  { dept: 'idle', yellow: 0, red: 0 },
]
const name = (d: string) => ({ health: '卫健委' })[d] ?? d
const typo = { fontFamily: '"Noto Sans CJK SC", sans-serif', remPx: 20 }

describe('department chart option', () => {
  it('ranks the departments by open cards, more red breaking a tie', () => {
    expect(topDepts(byDept).map((d) => d.dept)).toEqual(['tax', 'env', 'health'])
    expect(topDepts([{ dept: 'a', yellow: 2, red: 0 }, { dept: 'b', yellow: 1, red: 1 }]).map((d) => d.dept)).toEqual(['b', 'a'])
  })

  it('bounds the bars on screen', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ dept: `d${i}`, yellow: i + 1, red: 0 }))
    expect(topDepts(many)).toHaveLength(CHART_MAX_DEPTS)
    expect(topDepts(many)[0]!.dept).toBe('d39')
  })

  it('updates under the same series ids with names in the chosen language', () => {
    const u = chartUpdate(byDept, 'zh-CN', name)
    expect(u.series.map((s) => s.id)).toEqual(['yellow', 'red', 'total'])
    expect(u.yAxis.data).toEqual(['tax', 'env', '卫健委'])
    expect(u.series[0]!.data).toEqual([9, 4, 1])
    expect(u.series[1]!.data).toEqual([0, 3, 3])
    expect(u.legend.data).toEqual(['黄牌', '红牌'])
    expect(chartUpdate(byDept, 'en', name).legend.data).toEqual(['Yellow card', 'Red card'])
  })

  it('labels each bar with its total', () => {
    const total = chartUpdate(byDept, 'zh-CN', name).series[2]!
    expect([0, 1, 2].map((dataIndex) => total.label!.formatter({ dataIndex }))).toEqual(['9', '7', '4'])
  })

  it('stacks the series in the base option', () => {
    const b = chartBase(byDept, 'zh-CN', name, typo)
    expect(b.series.map((s) => [s.id, s.type, s.stack])).toEqual([['yellow', 'bar', 'open'], ['red', 'bar', 'open'], ['total', 'bar', 'open']])
    expect(b.yAxis.data).toEqual(['tax', 'env', '卫健委'])
  })

  it('sets a real font list and sizes text to the page, since canvas cannot inherit CSS', () => {
    const b = chartBase(byDept, 'zh-CN', name, typo)
    expect(b.textStyle.fontFamily).toBe('"Noto Sans CJK SC", sans-serif')
    expect(b.yAxis.axisLabel.fontSize).toBe(21)
    const bigger = chartFonts({ ...typo, remPx: 10 })
    expect(bigger.xAxis.axisLabel.fontSize).toBe(11)
    expect(bigger.series.map((s) => s.id)).toEqual(['yellow', 'red', 'total'])
  })
})
