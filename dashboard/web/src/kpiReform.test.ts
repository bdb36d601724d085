import { describe, expect, it } from 'vitest'
import type { ReformCandidate } from '../../../common/contract/api.ts'
import { MAX_REFORM_CANDIDATES } from '../../../common/contract/api.ts'
import { byDimension, candidateTitle, defaultRange, validRange } from './kpiReform.ts'

const cand = (dimension: ReformCandidate['dimension'], key: string, cards: number, overdueDays = 0): ReformCandidate => ({
  dimension, key, cards, suspensions: 0, overdueDays, departments: ['market'], cases: [{ kind: 'approval', caseId: `${key}-1` }], caseCount: 1,
})

describe('kpiReform', () => {
  it('defaults to the 90 days up to today, both ends included', () => {
    expect(defaultRange('2026-11-30')).toEqual({ from: '2026-09-02', until: '2026-11-30' })
    expect(defaultRange('2026-03-01').from).toBe('2025-12-02')
  })

  it('refuses a range out of order, too long, or of no real dates', () => {
    expect(validRange('2026-09-01', '2026-11-30')).toBe(true)
    expect(validRange('2026-11-30', '2026-11-30')).toBe(true)
    expect(validRange('2026-12-01', '2026-11-30')).toBe(false)
    expect(validRange('2025-01-01', '2026-01-01')).toBe(true)
    expect(validRange('2025-01-01', '2026-01-02')).toBe(false)
    for (const bad of ['2026-02-30', '2026-1-01', '', 'yesterday']) expect(validRange(bad, '2026-11-30')).toBe(false)
  })

  it('groups candidates by dimension, most cards first, bounded', () => {
    const many = Array.from({ length: MAX_REFORM_CANDIDATES + 3 }, (_, i) => cand('item', `SC-${i}`, i))
    const g = byDimension({ from: 'a', until: 'b', candidates: [cand('rule', 'approval.overdue', 2, 1), cand('rule', 'approval.due_soon', 2, 5), ...many] })
    expect(g.rule.map((c) => c.key)).toEqual(['approval.due_soon', 'approval.overdue'])
    expect(g.item).toHaveLength(MAX_REFORM_CANDIDATES)
    expect(g.item[0]!.key).toBe(`SC-${MAX_REFORM_CANDIDATES + 2}`)
    expect(g.step).toEqual([])
  })

  it('names a rule in words and an item or step by its key', () => {
    expect(candidateTitle('zh-CN', cand('rule', 'approval.overdue', 1))).toBe('审批超期')
    expect(candidateTitle('en', cand('item', 'SC-101', 1))).toBe('SC-101')
    expect(candidateTitle('zh-CN', cand('step', 'approval.accepted', 1))).toBe('受理 (approval.accepted)')
    expect(candidateTitle('zh-CN', cand('step', 'custom.step', 1))).toBe('custom.step')
  })
})
