import { describe, expect, it } from 'vitest'
import { Zone } from '../common/time/index.ts'
import { zeroCounts, type Counts } from './countNames.ts'
import type { PeriodCounts } from './counts.ts'
import { parsePeriod } from './period.ts'
import { kpiRows } from './report.ts'
import { defaultScheme, parseScheme } from './scheme.ts'

const zone = Zone.of('Asia/Shanghai')

/** periodCounts builds the counts of months from { '2026-09': { dept: counts } }, the earliest event at the first month's start. */
function periodCounts(months: Record<string, Record<string, Partial<Counts>>>, earliest = Object.keys(months)[0]!): PeriodCounts {
  const byPeriod = new Map<number, Map<string, Counts>>()
  for (const [label, depts] of Object.entries(months)) {
    byPeriod.set(parsePeriod(label).n, new Map(Object.entries(depts).map(([d, c]) => [d, { ...zeroCounts(), ...c }])))
  }
  return { byPeriod, earliest: Date.parse(`${earliest}-01T00:00:00+08:00`) }
}

const rows = (months: Record<string, Record<string, Partial<Counts>>>, until: string, scheme = defaultScheme()) =>
  kpiRows({ counts: periodCounts(months), until: Date.parse(until), unit: 'month', zone, scheme })
const brief = (r: ReturnType<typeof rows>) => r.map((x) => `${x.period} ${x.dept} ${x.score} ${x.grade} ${x.rank} ${x.previousRank}`)

describe('kpiRows', () => {
  it('orders each period by rank, ties by dept, and gives the rank of the month before', () => {
    const r = rows(
      {
        '2026-09': { b: { workload: 10, 'cards.yellow': 1 }, a: { workload: 10 }, c: { workload: 10, 'cards.yellow': 1 } },
        '2026-10': { c: { workload: 10 }, a: { workload: 10, 'cards.red': 1 }, d: { workload: 10, 'cards.red': 1 } },
      },
      '2026-10-15T00:00:00+08:00',
    )
    expect(brief(r)).toEqual([
      '2026-09 a 100 优秀 1 null',
      '2026-09 b 90 优秀 2 null',
      '2026-09 c 90 优秀 2 null',
      '2026-10 c 100 优秀 1 2',
      '2026-10 a 70 合格 2 1',
      '2026-10 d 70 合格 2 null',
    ])
  })

  it('runs through months without data, so that previousRank is the month just before', () => {
    const r = rows({ '2026-08': { a: { workload: 1 } }, '2026-10': { a: { workload: 1 } } }, '2026-12-01T00:00:00+08:00')
    expect(brief(r)).toEqual(['2026-08 a 100 优秀 1 null', '2026-10 a 100 优秀 1 null'])
  })

  it('shows no data as null (无数据), never as 0 or 100', () => {
    const [row] = rows({ '2026-09': { a: { workload: 2, 'cards.yellow': 1, 'approval.evaluated': 2, 'approval.poor': 0 } } }, '2026-10-01T00:00:00+08:00')
    expect(row!.indicators).toEqual({
      approval_on_time: null, approval_early: null, enforcement_on_time: null, cards: 50,
      petition_accept_on_time: null, petition_reply_on_time: null, supervision_on_time: null,
      approval_rating: 100, petition_satisfaction: null, ack_on_time: null, rectification_on_time: null,
    })
    expect(row!.categories).toEqual({ efficiency: null, compliance: 50, completion: null, evaluation: 100, cooperation: null })
    // (25 × 50 + 15 × 100) / 40
    expect(row!.score).toBe(68.75)
    expect(row!.scheme).toBe(defaultScheme().version)
  })

  it('lists a department without a score unranked, after the ranked ones', () => {
    const approvals = parseScheme(`
categories:
  efficiency: { indicators: { approval_on_time: { weight: 1, numerator: approval.on_time, denominator: approval.completed } } }
grades: [{ name: ok, min: 50 }, { name: poor, min: 0 }]
`)
    const r = rows({ '2026-09': { a: { workload: 3 }, z: { workload: 1, 'approval.completed': 2, 'approval.on_time': 1 } }, '2026-10': { a: { workload: 1, 'approval.completed': 1 } } }, '2026-10-02T00:00:00+08:00', approvals)
    expect(brief(r)).toEqual(['2026-09 z 50 ok 1 null', '2026-09 a null null null null', '2026-10 a 0 poor 1 null'])
    expect(r[1]!.indicators).toEqual({ approval_on_time: null })
  })

  it('rounds indicators and categories half up to 2 decimals', () => {
    const [row] = rows({ '2026-09': { a: { workload: 3, 'approval.completed': 3, 'approval.on_time': 2, 'approval.early': 1, 'cards.yellow': 1 } } }, '2026-10-01T00:00:00+08:00')
    expect(row!.indicators.approval_on_time).toBe(66.67)
    expect(row!.indicators.approval_early).toBe(33.33)
    expect(row!.indicators.cards).toBe(66.67)
    // (15 × 200/3 + 5 × 100/3) / 20 = 58.333…
    expect(row!.categories.efficiency).toBe(58.33)
    // (30 × 175/3 + 25 × 200/3) / 55 = 62.1212…
    expect(row!.score).toBe(62.12)
  })

  it('has no rows without any event', () => {
    expect(kpiRows({ counts: { byPeriod: new Map(), earliest: null }, until: 0, unit: 'month', zone, scheme: defaultScheme() })).toEqual([])
  })
})
