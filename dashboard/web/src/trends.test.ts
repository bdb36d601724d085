import { describe, expect, it } from 'vitest'
import { addCard, dayAxis, heatCells, heatOption, perDay, rateSeries, rateSummary, trendOption } from './trends.ts'

describe('trends', () => {
  const days = dayAxis('2026-03-02')
  it('spans 30 days ending today, across a month end', () => {
    expect(days).toHaveLength(30)
    expect(days[0]).toBe('2026-02-01')
    expect(days.at(-1)).toBe('2026-03-02')
  })
  it('adds a live card to its day and department, and stays bounded', () => {
    let d = addCard([], '2026-03-02', 'health', 'red')
    d = addCard(d, '2026-03-02', 'health', 'yellow')
    d = addCard(d, '2026-03-01', 'env', 'red')
    expect(d).toEqual([
      { day: '2026-03-01', dept: 'env', yellow: 0, red: 1 },
      { day: '2026-03-02', dept: 'health', yellow: 1, red: 1 },
    ])
    expect(addCard(d, '2026-03-03', 'tax', 'red', 2).map((r) => r.dept)).toEqual(['health', 'tax'])
  })
  it('sums per day and builds heatmap cells of the busiest departments only, days outside the span ignored', () => {
    const daily = [
      { day: '2026-03-02', dept: 'health', yellow: 2, red: 1 },
      { day: '2026-03-02', dept: 'env', yellow: 0, red: 1 },
      { day: '2025-12-01', dept: 'tax', yellow: 9, red: 9 },
    ]
    expect(perDay(daily, days).yellow.at(-1)).toBe(2)
    expect(perDay(daily, days).red.at(-1)).toBe(2)
    expect(heatCells(daily, days)).toEqual({ depts: ['health', 'env'], cells: [[29, 0, 3], [29, 1, 1]] })
    expect(heatCells(daily, days, 1).depts).toEqual(['health'])
  })
  it('keeps series ids stable for merging, and tells the levels apart by more than colour', () => {
    const o = trendOption([], days, 'zh-CN')
    expect(o.series.map((s) => s.id)).toEqual(['yellow', 'red'])
    expect(new Set(o.series.map((s) => s.symbol)).size).toBe(2)
    expect(heatOption([], days, (d) => d).series[0]!.label.show).toBe(true)
  })
  it('puts the rate on a 60-minute axis, missing minutes as 0, and says it in words', () => {
    const until = Date.parse('2026-03-02T01:00:30Z')
    const r = rateSeries([{ minute: '2026-03-02T01:00:00.000Z', events: 12 }, { minute: '2026-03-01T20:00:00.000Z', events: 5 }], until)
    expect(r.events).toHaveLength(60)
    expect(r.events.at(-1)).toBe(12)
    expect(r.events.reduce((a, b) => a + b, 0)).toBe(12)
    expect(rateSummary(r.events, 'en')).toBe('Last minute 12 events/min, 0.2 events/min on average over 60 min')
    expect(rateSummary([0, 0], 'zh-CN')).toBe('近 2 分钟没有收到事件')
  })
})
