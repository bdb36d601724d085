import { describe, expect, it } from 'vitest'
import { approvalRules, promisedTerm } from './approval.ts'
import { defaultContext } from './context.ts'
import { sorted, te } from './testEvents.ts'

const ctx = defaultContext()
const A = (type: string, at: string, attrs?: Record<string, unknown>) => te('approval', type, 'A-1', at, attrs)
const accepted = (at: string, extra: Record<string, unknown> = {}) =>
  A('accepted', at, { itemCode: 'X', itemName: '许可', promisedDays: 5, legalDays: 20, ...extra })
const rules = (...evs: ReturnType<typeof A>[]) =>
  approvalRules(sorted(evs), ctx).map((c) => `${c.rule}@${ctx.zone.format(c.at)}`)

describe('approval rules', () => {
  it('due_soon and overdue on working days', () => {
    expect(rules(accepted('2026-09-28T10:00:00+08:00'))).toEqual([
      'approval.due_soon@2026-10-09T00:00:00+08:00',
      'approval.overdue@2026-10-11T00:00:00+08:00',
    ])
  })

  it('decided does not stop the clock; completed and withdrawn do (note 1)', () => {
    const acc = accepted('2026-09-28T10:00:00+08:00')
    expect(rules(acc, A('decided', '2026-09-29T10:00:00+08:00', { decision: 'approve' }))).toHaveLength(2)
    expect(rules(acc, A('withdrawn', '2026-10-08T10:00:00+08:00'))).toEqual([])
    expect(rules(acc, A('decided', '2026-10-09T09:00:00+08:00', { decision: 'approve' }), A('completed', '2026-10-09T10:00:00+08:00'))).toEqual([
      'approval.due_soon@2026-10-09T00:00:00+08:00',
    ])
  })

  it('completion at the due instant itself is already late', () => {
    const acc = accepted('2026-09-28T10:00:00+08:00')
    const r = rules(acc, A('decided', '2026-10-10T09:00:00+08:00', { decision: 'approve' }), A('completed', '2026-10-11T00:00:00+08:00'))
    expect(r).toContain('approval.overdue@2026-10-11T00:00:00+08:00')
  })

  it('calendar days count holidays', () => {
    expect(rules(accepted('2026-02-13T10:00:00+08:00', { promisedDays: 3, dayType: 'calendar' }))[1]).toBe('approval.overdue@2026-02-17T00:00:00+08:00')
  })

  it('accept_delay after 5 working days without acceptance or rejection', () => {
    expect(rules(A('submitted', '2026-04-30T15:00:00+08:00', { itemCode: 'X' }))).toEqual(['approval.accept_delay@2026-05-12T00:00:00+08:00'])
    expect(rules(A('submitted', '2026-04-30T15:00:00+08:00', { itemCode: 'X' }), A('rejected', '2026-05-11T15:00:00+08:00', { reason: '材料不全' }))).toEqual([])
  })

  it('no_reason for a rejection with an empty or missing reason', () => {
    expect(rules(A('rejected', '2026-05-13T10:00:00+08:00', { reason: '  ' }))).toEqual(['approval.no_reason@2026-05-13T10:00:00+08:00'])
    expect(rules(A('rejected', '2026-05-13T10:00:00+08:00'))).toHaveLength(1)
    expect(rules(A('rejected', '2026-05-13T10:00:00+08:00', { reason: '不符合条件' }))).toEqual([])
  })

  it('out_of_order: decided without accepted, or completed without decided, judged by at not arrival', () => {
    expect(rules(A('completed', '2026-10-09T10:00:00+08:00'))).toEqual(['approval.out_of_order@2026-10-09T10:00:00+08:00'])
    const acc = accepted('2026-09-28T10:00:00+08:00')
    expect(rules(acc, A('completed', '2026-09-29T10:00:00+08:00'))).toContain('approval.out_of_order@2026-09-29T10:00:00+08:00')
    // decided arrives after completed but happened before it: in order
    const completed = A('completed', '2026-09-29T10:00:00+08:00')
    const decided = A('decided', '2026-09-29T09:00:00+08:00', { decision: 'approve' })
    expect(rules(acc, completed, decided)).toEqual([])
  })

  it('equal at keeps arrival order', () => {
    const acc = accepted('2026-09-28T10:00:00+08:00')
    const c = A('completed', '2026-09-29T10:00:00+08:00')
    const d = A('decided', '2026-09-29T10:00:00+08:00', { decision: 'approve' })
    expect(rules(acc, c, d)).toContain('approval.out_of_order@2026-09-29T10:00:00+08:00')
  })

  it('fee_mismatch against the feeStandard of the earlier acceptance, 0 without one', () => {
    const acc = accepted('2026-09-30T17:30:00+08:00', { feeStandard: 80 })
    expect(rules(acc, A('fee', '2026-10-08T09:10:00+08:00', { amount: 80 }))).not.toContain('approval.fee_mismatch@2026-10-08T09:10:00+08:00')
    expect(rules(acc, A('fee', '2026-10-08T09:10:00+08:00', { amount: 120 }))).toContain('approval.fee_mismatch@2026-10-08T09:10:00+08:00')
    expect(rules(A('fee', '2026-10-08T09:10:00+08:00', { amount: 1 }))).toEqual(['approval.fee_mismatch@2026-10-08T09:10:00+08:00'])
  })

  it('long_suspension on a 10-working-day clock of its own, unless resumed first', () => {
    const acc = accepted('2026-06-01T09:30:00+08:00', { promisedDays: 20, legalDays: 20 })
    const sus = A('suspended', '2026-06-02T14:00:00+08:00', { reason: 'hearing' })
    expect(rules(acc, sus)).toEqual(['approval.long_suspension@2026-06-17T00:00:00+08:00'])
    expect(rules(acc, sus, A('resumed', '2026-06-16T10:00:00+08:00')).filter((r) => r.startsWith('approval.long'))).toEqual([])
  })

  it('poor_rating for a score of 2 or less', () => {
    expect(rules(A('evaluated', '2026-02-17T08:00:00+08:00', { score: 2 }))).toEqual(['approval.poor_rating@2026-02-17T08:00:00+08:00'])
    expect(rules(A('evaluated', '2026-02-17T08:00:00+08:00', { score: 3 }))).toEqual([])
  })
})

describe('promisedTerm', () => {
  const term = (...evs: ReturnType<typeof A>[]) => {
    const t = promisedTerm(sorted(evs), ctx)
    return t && { due: t.due === null ? null : ctx.zone.format(t.due), half: t.half === null ? null : ctx.zone.format(t.half) }
  }

  it('is due where approval.overdue fires, and half-way after promisedDays × 12 h on the same working-day clock', () => {
    const acc = accepted('2026-09-28T10:00:00+08:00')
    expect(rules(acc)[1]).toBe('approval.overdue@2026-10-11T00:00:00+08:00')
    // 09-29, 09-30, then the holiday until 10-08: 2.5 days counted at noon on 10-08
    expect(term(acc)).toEqual({ due: '2026-10-11T00:00:00+08:00', half: '2026-10-08T12:00:00+08:00' })
  })

  it('counts the half of an odd term on calendar days', () => {
    expect(term(accepted('2026-02-13T10:00:00+08:00', { promisedDays: 3, dayType: 'calendar' }))).toEqual({
      due: '2026-02-17T00:00:00+08:00',
      half: '2026-02-15T12:00:00+08:00',
    })
  })

  it('stops both instants while suspended, as the cards do', () => {
    const acc = accepted('2026-11-02T10:00:00+08:00', { promisedDays: 4 })
    const sus = A('suspended', '2026-11-03T00:00:00+08:00', { reason: 'correction' })
    const res = A('resumed', '2026-11-05T00:00:00+08:00')
    // counted: 11-05, 11-06, 11-09, 11-10 (11-03 and 11-04 suspended)
    expect(term(acc, sus, res)).toEqual({ due: '2026-11-11T00:00:00+08:00', half: '2026-11-07T00:00:00+08:00' })
    expect(rules(acc, sus, res)).toContain('approval.overdue@2026-11-11T00:00:00+08:00')
    // suspended for good before half the term: neither instant ever comes
    expect(term(acc, sus)).toEqual({ due: null, half: null })
  })

  it('is null without an acceptance', () => {
    expect(term(A('submitted', '2026-04-30T15:00:00+08:00', { itemCode: 'X' }))).toBeNull()
  })
})
