import { describe, expect, it } from 'vitest'
import { DeptDirectory } from '../../../common/departments/index.ts'
import { type KpiRow, rankingRows, zeroCounts } from '../../../kpi/index.ts'
import { deptKind, officialOfKind, ofKind, rankingRowView, revisionView } from './rankingView.ts'

const row = (dept: string, score: number | null, rank: number | null, previousRank: number | null = null): KpiRow => ({
  period: '2026-11', dept, counts: zeroCounts(), indicators: {}, categories: {}, score, grade: score === null ? null : '合格', rank, previousRank, scheme: 'sha256:abc',
})
const registry = DeptDirectory.of(
  (['a', 'b', 'c', 'd'] as const).map((code, i) => ({ code, nameZh: `局${code}`, nameEn: code.toUpperCase(), kind: i % 2 ? 'service' : 'approval', parent: null, active: true, updatedAt: new Date(0) })),
)

describe('a ranking as the API answers it', () => {
  it('ranks official rows again among one kind, with the previous period ranked the same way', () => {
    // Platform-wide: b 90 (1), a 80 (2), c 80 (2), d 70 (4), x with no score; approval is a and c.
    const nov = [row('b', 90, 1), row('a', 80, 2), row('c', 80, 2), row('d', 70, 4), row('x', null, null)]
    const oct = [row('c', 95, 1), row('b', 60, 2), row('a', 50, 3)]
    const keep = ofKind(registry, 'approval')
    expect(officialOfKind(nov, oct, keep).map((r) => [r.dept, r.rank, r.previousRank])).toEqual([['a', 1, 2], ['c', 1, 1]])
    // Without a previous result, no previous rank; an unscored row is listed last, unranked.
    expect(officialOfKind(nov, undefined, (d) => d !== 'b').map((r) => [r.dept, r.rank, r.previousRank])).toEqual([['a', 1, null], ['c', 1, null], ['d', 3, null], ['x', null, null]])
    // A department the registry does not hold has no kind.
    expect(ofKind(registry, 'approval')('x')).toBe(false)
  })

  it('answers a row without its period and scheme, with the contract\'s kind, and a revision by score, grade and rank', () => {
    const [r] = rankingRows([row('b', 90, 1, 3)], registry)
    const v = rankingRowView(r!)
    expect(v).toEqual({ dept: 'b', name: { 'zh-CN': '局b', en: 'B' }, kind: 'service', counts: zeroCounts(), indicators: {}, categories: {}, score: 90, grade: '合格', rank: 1, previousRank: 3, movement: 'up', places: 2 })
    expect(v).not.toHaveProperty('period')
    expect(deptKind('bureau')).toBeNull()
    expect(deptKind(null)).toBeNull()
    const cause = [{ count: 'cards.red', delta: 1, at: '2026-11-30T15:59:59.000Z', kind: 'approval', caseId: 'A-1', rule: 'approval.overdue' }]
    expect(revisionView({ id: 7, period: '2026-11', dept: 'b', notedAt: 5, scheme: 'sha256:abc', before: row('b', 90, 1), after: null, cause })).toEqual({
      id: 7, dept: 'b', notedAt: 5, before: { score: 90, grade: '合格', rank: 1 }, after: null, cause,
    })
  })
})
