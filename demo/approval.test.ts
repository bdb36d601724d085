import { describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import { APPROVAL_MIX, approvalCase } from './approval.ts'
import type { CasePlan } from './caseBuilder.ts'
import { rngFor } from './prng.ts'
import { DAY, dayStart, isWeekday, localDay, type DayType } from './shanghai.ts'

const simStart = Date.parse('2026-03-02T00:00:00+08:00')
const plans: CasePlan[] = Array.from({ length: 12_000 }, (_, i) => approvalCase(4, i, simStart + i * 600_000, rngFor(4, i)))

/** counted is the contract §2 clock in days from `start` to `t`, with weekdays for working days. */
function counted(start: number, t: number, dayType: DayType): number {
  let ms = 0
  for (let d = localDay(start) + 1; d <= localDay(t); d++) {
    if (dayType === 'calendar' || isWeekday(d)) ms += Math.min(DAY, t - dayStart(d))
  }
  return ms / DAY
}

const find = (p: CasePlan, type: string) => p.events.findIndex((e) => e.type === type)
const when = (p: CasePlan, type: string) => p.times[find(p, type)]!
const attrs = (p: CasePlan, type: string) => p.events[find(p, type)]?.attrs ?? {}
const has = (p: CasePlan, type: string) => find(p, type) >= 0
const of = (rule: string | null) => plans.filter((p) => p.violation === rule)

/** clockDays is the counted time from accepted to completed, less any suspension. */
function clockDays(p: CasePlan): number {
  const a = attrs(p, 'accepted')
  const dayType = (a.dayType as DayType) ?? 'working'
  let days = counted(when(p, 'accepted'), when(p, 'completed'), dayType)
  if (has(p, 'suspended')) days -= counted(when(p, 'suspended'), when(p, 'resumed'), dayType)
  return days
}

describe('approvalCase', () => {
  it('plants each rule at about its share', () => {
    for (const [rule, share] of Object.entries(APPROVAL_MIX)) {
      expect(of(rule).length / plans.length).toBeGreaterThan(share * 0.6)
      expect(of(rule).length / plans.length).toBeLessThan(share * 1.4)
    }
  })

  it('keeps clean cases clean: in order, right fee, good ratings, early enough', () => {
    const clean = of(null)
    expect(clean.length / plans.length).toBeGreaterThan(0.85)
    for (const p of clean) {
      if (has(p, 'rejected')) expect(attrs(p, 'rejected').reason).not.toBe('')
      if (has(p, 'accepted')) expect(counted(when(p, 'submitted'), when(p, 'accepted'), 'working')).toBeLessThan(5)
      if (!has(p, 'completed')) continue
      expect(find(p, 'accepted')).toBeLessThan(find(p, 'decided'))
      expect(find(p, 'decided')).toBeLessThan(find(p, 'completed'))
      const a = attrs(p, 'accepted')
      if (has(p, 'fee')) expect(attrs(p, 'fee').amount).toBe(a.feeStandard)
      if (has(p, 'evaluated')) expect(attrs(p, 'evaluated').score).toBeGreaterThanOrEqual(3)
      if (has(p, 'suspended')) expect(counted(when(p, 'suspended'), when(p, 'resumed'), 'working')).toBeLessThan(10)
      // Finished before due soon (promised − 2), or the same day for very short items.
      const N = a.promisedDays as number
      if (N > 2) expect(clockDays(p)).toBeLessThan(N - 2)
      else expect(localDay(when(p, 'completed'))).toBe(localDay(when(p, 'accepted')))
    }
  })

  it('builds each violation the way its rule sees it', () => {
    for (const p of of('approval.overdue')) expect(clockDays(p)).toBeGreaterThan(p.events[1]!.attrs!.promisedDays as number)
    for (const p of of('approval.due_soon')) {
      const N = attrs(p, 'accepted').promisedDays as number
      expect(clockDays(p)).toBeGreaterThanOrEqual(N - 2)
      expect(clockDays(p)).toBeLessThan(N)
    }
    for (const p of of('approval.out_of_order')) expect(!has(p, 'accepted') || !has(p, 'decided')).toBe(true)
    for (const p of of('approval.fee_mismatch')) expect(attrs(p, 'fee').amount).not.toBe(attrs(p, 'accepted').feeStandard)
    for (const p of of('approval.no_reason')) expect(attrs(p, 'rejected').reason).toBe('')
    for (const p of of('approval.poor_rating')) expect(attrs(p, 'evaluated').score).toBeLessThanOrEqual(2)
    for (const p of of('approval.long_suspension')) expect(counted(when(p, 'suspended'), when(p, 'resumed'), 'working')).toBeGreaterThan(10)
    for (const p of of('approval.accept_delay')) expect(counted(when(p, 'submitted'), when(p, 'accepted'), 'working')).toBeGreaterThan(5)
  })

  it('uses the accepted item, with its fee standard and time limits', () => {
    const withFee = plans.filter((p) => has(p, 'fee') && p.violation === null)
    expect(withFee.length).toBeGreaterThan(100)
    const e: CaseEvent = plans.find((p) => has(p, 'accepted'))!.events[1]!
    expect(Object.keys(e.attrs!).sort()).toEqual(['dayType', 'feeStandard', 'itemCode', 'itemName', 'legalDays', 'promisedDays'])
    expect(plans.some((p) => has(p, 'suspended') && p.violation === null)).toBe(true)
    expect(plans.some((p) => has(p, 'withdrawn'))).toBe(true)
  })
})
