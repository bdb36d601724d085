import { describe, expect, it } from 'vitest'
import type { KpiRevisionView } from '../../../common/contract/api.ts'
import { ApiError } from './api.ts'
import { kpiErrorText, MAX_ROW_REVISIONS, movementView, rankText, revisionsByDept, revisionText, statusBadge } from './kpiRanking.ts'

const rev = (id: number, dept: string, notedAt: number): KpiRevisionView => ({
  id, dept, notedAt, before: { score: 88.5, grade: '良好', rank: 2 }, after: { score: 91, grade: '优秀', rank: 1 }, cause: [],
})

describe('kpiRanking', () => {
  it('writes every movement as a symbol and words, never colour alone', () => {
    expect(movementView('zh-CN', { movement: 'up', places: 2 })).toEqual({ symbol: '▲', text: '上升 2 位', kind: 'up' })
    expect(movementView('zh-CN', { movement: 'down', places: -3 })).toEqual({ symbol: '▼', text: '下降 3 位', kind: 'down' })
    expect(movementView('zh-CN', { movement: 'same', places: 0 })).toEqual({ symbol: '=', text: '持平', kind: 'same' })
    expect(movementView('zh-CN', { movement: 'new', places: null })).toEqual({ symbol: '新', text: '新上榜', kind: 'new' })
    expect(movementView('en', { movement: 'down', places: -1 }).text).toBe('down 1')
    expect(movementView('en', { movement: 'new', places: null }).symbol).toBe('NEW')
  })

  it('badges an official result with its freeze time and a live one with how far it runs, in the platform zone', () => {
    const frozenAt = Date.parse('2026-12-03T02:00:00Z')
    expect(statusBadge('zh-CN', { status: 'official', frozenAt, asOf: 0 }, 'Asia/Shanghai')).toEqual({ official: true, label: '正式结果', detail: '2026-12-03 10:00 冻结' })
    const live = statusBadge('en', { status: 'live', frozenAt: null, asOf: Date.parse('2026-11-24T02:00:00Z') }, 'Asia/Shanghai')
    expect(live).toEqual({ official: false, label: 'Live', detail: 'as of 2026-11-24 10:00; official once the period is frozen' })
  })

  it('groups revisions by department, newest first and bounded', () => {
    const many = Array.from({ length: MAX_ROW_REVISIONS + 5 }, (_, i) => rev(i + 1, 'market', 1000 + i))
    const by = revisionsByDept([rev(100, 'health', 5), ...many])
    expect(by.get('health')!.map((r) => r.id)).toEqual([100])
    expect(by.get('market')).toHaveLength(MAX_ROW_REVISIONS)
    expect(by.get('market')![0]!.id).toBe(MAX_ROW_REVISIONS + 5)
    expect(by.has('tax')).toBe(false)
  })

  it('writes a revision as before → after', () => {
    const r = rev(1, 'market', Date.parse('2026-12-05T01:30:00Z'))
    expect(revisionText('zh-CN', r, 'Asia/Shanghai')).toBe('2026-12-05 09:30：得分 88.5 → 91，等级 良好 → 优秀，排名 2 → 1')
    expect(revisionText('en', { ...r, before: null, after: { score: null, grade: null, rank: null } }, 'UTC')).toBe('2026-12-05 01:30: score No data → No data, grade No data → No data, rank Not ranked → Not ranked')
  })

  it('says when a department is not ranked', () => {
    expect(rankText('zh-CN', 3)).toBe('3')
    expect(rankText('zh-CN', null)).toBe('未排名')
  })

  it('says when the platform runs no KPI component, and what else went wrong', () => {
    expect(kpiErrorText('zh-CN', new ApiError(503, 'kpi not running'))).toContain('绩效评测未运行')
    expect(kpiErrorText('zh-CN', new ApiError(0, 'fetch failed'))).toBe('无法连接服务器，请检查网络后重试')
    expect(kpiErrorText('en', new ApiError(400, 'period must be a month'))).toBe('Could not read the performance figures: period must be a month')
  })
})
