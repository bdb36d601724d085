import { describe, expect, it } from 'vitest'
import type { KpiRanking, KpiRankingRow } from '../../../common/contract/api.ts'
import { boardMonth, boardRows, concerns, gradeLabel, gradeTier, movement, RANK_BOARD_ROWS, scoreText } from './rankBoard.ts'

function row(dept: string, rank: number | null, score: number | null = rank === null ? null : 100 - rank): KpiRankingRow {
  return { dept, name: { 'zh-CN': dept, en: dept }, kind: null, counts: {}, indicators: {}, categories: {}, score, grade: null, rank, previousRank: null, movement: 'new', places: null }
}

const GRADES = [{ name: '优秀', min: 90 }, { name: '良好', min: 80 }, { name: '合格', min: 60 }, { name: '不合格', min: 0 }]
const ranking = (rows: KpiRankingRow[]): KpiRanking => ({
  period: '2026-12', unit: 'month', status: 'live', frozenAt: null, asOf: 0, kind: null, scheme: { version: 'v', categories: [], grades: GRADES }, scope: 'all', ranked: rows.length, rows, revisions: [],
})

describe('the ranking board', () => {
  it('shows the platform clock\'s month in the platform zone', () => {
    expect(boardMonth('2026-11-30T16:30:00Z', 'Asia/Shanghai')).toBe('2026-12')
    expect(boardMonth('2026-11-30T16:30:00Z', 'UTC')).toBe('2026-11')
    expect(boardMonth(null, 'Asia/Shanghai')).toBeNull()
  })

  it('reads again only for an announcement naming its period', () => {
    expect(concerns({ periods: ['2026', '2026-12', '2026-Q4'], at: 0 }, '2026-12')).toBe(true)
    expect(concerns({ periods: ['2026-11'], at: 0 }, '2026-12')).toBe(false)
    expect(concerns({ periods: ['2026-12'], at: 0 }, null)).toBe(false)
  })

  it('lists the ranked departments by rank, ties by code, bounded, without those of no data', () => {
    const rows = [row('b', 2), row('none', null), row('a', 2), row('c', 1)]
    expect(boardRows(ranking(rows)).map((r) => r.dept)).toEqual(['c', 'a', 'b'])
    const many = Array.from({ length: 40 }, (_, i) => row(`d${String(i).padStart(2, '0')}`, i + 1))
    expect(boardRows(ranking(many))).toHaveLength(RANK_BOARD_ROWS)
    expect(boardRows(null)).toEqual([])
  })

  it('words every movement beside its arrow, in both languages', () => {
    expect(movement({ movement: 'up', places: 2 }, 'zh-CN')).toEqual({ symbol: '▲', text: '上升 2 位', tone: 'up' })
    expect(movement({ movement: 'down', places: -3 }, 'zh-CN')).toEqual({ symbol: '▼', text: '下降 3 位', tone: 'down' })
    expect(movement({ movement: 'same', places: 0 }, 'en')).toEqual({ symbol: '=', text: 'unchanged', tone: 'same' })
    expect(movement({ movement: 'new', places: null }, 'en')).toEqual({ symbol: '–', text: 'not ranked last period', tone: 'new' })
  })

  it('names the grades in English, a grade of another scheme as it is, and places it among the scheme\'s', () => {
    expect(gradeLabel('zh-CN', '优秀')).toBe('优秀')
    expect(gradeLabel('en', '不合格')).toBe('Fail')
    expect(gradeLabel('en', 'A+')).toBe('A+')
    expect(gradeLabel('zh-CN', null)).toBe('无数据')
    const r = ranking([])
    expect([gradeTier(r, '优秀'), gradeTier(r, '良好'), gradeTier(r, '不合格'), gradeTier(r, 'A+'), gradeTier(r, null)]).toEqual(['top', 'mid', 'low', null, null])
  })

  it('writes a score with two decimals, and no data as 无数据, never 0', () => {
    expect(scoreText(94.9, 'zh-CN')).toBe('94.90')
    expect(scoreText(0, 'en')).toBe('0.00')
    expect(scoreText(null, 'zh-CN')).toBe('无数据')
  })
})
