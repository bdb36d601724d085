/**
 * The lifecycle of a simulated approval (行政审批): submitted → accepted → (suspended →
 * resumed) → decided → fee → completed → evaluated, with a few cases built to break
 * one rule. Deadlines are approximated with weekdays (no holiday calendar): clean
 * cases finish before their due-soon instant, so they raise no card.
 */
import { DEPARTMENTS, type ApprovalItem, type Department } from './city.ts'
import { finish, newCase, type CaseBuilder, type CasePlan } from './caseBuilder.ts'
import type { Rng } from './prng.ts'
import { onDay, officeAfter, weekdayFrom } from './schedule.ts'
import { countedDay, HOUR, isOfficeHours, MINUTE, type DayType } from './shanghai.ts'
import { drawViolation, type Mix } from './violations.ts'

/** APPROVAL_MIX is the share of approvals built to fire each rule (10% in all). */
export const APPROVAL_MIX = {
  'approval.overdue': 0.03,
  'approval.due_soon': 0.015,
  'approval.poor_rating': 0.015,
  'approval.fee_mismatch': 0.012,
  'approval.out_of_order': 0.01,
  'approval.no_reason': 0.008,
  'approval.long_suspension': 0.005,
  'approval.accept_delay': 0.005,
} as const satisfies Mix<string>

type Planted = keyof typeof APPROVAL_MIX | null

const REJECT_REASONS = ['申请材料不齐全且逾期未补正', '申请事项不属于本部门职权范围', '申请人不具备申请资格', '申请事项依法不需要取得行政许可']
const SUSPEND_REASONS = ['correction', 'correction', 'correction', 'expert_review', 'inspection', 'hearing', 'other'] as const

/** approvalCase builds approval case `index`. */
export function approvalCase(seed: number, index: number, arrival: number, rng: Rng): CasePlan {
  const v = drawViolation(rng, APPROVAL_MIX)
  const dept = weightedDept(rng)
  // A long suspension needs a clock long enough to suspend in the middle of.
  const items = v === 'approval.long_suspension' ? dept.approvals.filter(suspendable) : dept.approvals
  const item = rng.pick(items)
  const b = newCase(seed, index, 'approval', dept.code, rng)
  const online = rng.chance(0.2) // 一网通办: online applications arrive at any hour
  const submitted = b.add('submitted', online ? arrival : officeAfter(rng, arrival), { itemCode: item.itemCode }, true)
  const firstDay = isOfficeHours(submitted) ? 0 : 1

  if (v === 'approval.no_reason' || (!v && rng.chance(0.04))) {
    const reason = v ? '' : rng.pick(REJECT_REASONS)
    b.add('rejected', onDay(rng, countedDay(submitted, rng.int(firstDay, 2), 'working'), submitted), { reason })
    return finish(b, v)
  }
  if (v === 'approval.out_of_order' && rng.chance(0.5)) {
    // Decided and completed with no acceptance at all.
    const day = countedDay(submitted, rng.int(firstDay, 2), 'working')
    b.add('decided', onDay(rng, day, submitted), { decision: 'approve' })
    b.add('completed', onDay(rng, day, b.last))
    return finish(b, v)
  }

  const acceptK = v === 'approval.accept_delay' ? rng.int(7, 9) : rng.int(firstDay, 2)
  const accepted = b.add('accepted', onDay(rng, countedDay(submitted, acceptK, 'working'), submitted), { ...item })
  if (!v && rng.chance(0.02)) {
    b.add('withdrawn', onDay(rng, workDay(accepted, rng.int(0, budget(item)), item.dayType), accepted), undefined, true)
    return finish(b, v)
  }
  const decideDay = decisionDay(rng, b, item, v)
  conclude(rng, b, item, decideDay, v)
  return finish(b, v)
}

/** decisionDay schedules the decision (and any suspension before it) against the promised days. */
function decisionDay(rng: Rng, b: CaseBuilder, item: ApprovalItem, v: Planted): number {
  const N = item.promisedDays
  const accepted = b.last
  if (v === 'approval.overdue') return workDay(accepted, N + rng.int(3, N + 3), item.dayType)
  // On the N-th counted date: past due soon (N − 2), not yet due (N); may be a weekend overtime.
  if (v === 'approval.due_soon') return countedDay(accepted, N, item.dayType)
  let left = budget(item)
  let base = accepted
  if (v === 'approval.long_suspension' || (!v && suspendable(item) && rng.chance(0.12))) {
    const s = rng.int(0, Math.floor(left / 2))
    const suspended = b.add('suspended', onDay(rng, workDay(accepted, s, 'working'), accepted), { reason: rng.pick(SUSPEND_REASONS) })
    // A long suspension outlasts the 10-working-day clock; a normal one is a few days of 补正.
    const r = v ? rng.int(12, 16) : rng.int(1, 5)
    base = b.add('resumed', onDay(rng, countedDay(suspended, r, 'working'), suspended))
    // Counted so far: < s days before the suspension, < 1 on the day it resumed.
    left -= s + 1
  }
  return workDay(base, rng.int(0, Math.max(0, left)), item.dayType)
}

/** conclude writes decided, fee, completed and the citizen's rating. */
function conclude(rng: Rng, b: CaseBuilder, item: ApprovalItem, day: number, v: Planted): void {
  const decision = v === 'approval.fee_mismatch' || rng.chance(0.93) ? 'approve' : 'deny'
  const skipDecision = v === 'approval.out_of_order' // completed with no earlier decided
  if (!skipDecision) b.add('decided', onDay(rng, day, b.last), { decision })
  if (!skipDecision && decision === 'approve' && (item.feeStandard > 0 || v === 'approval.fee_mismatch')) {
    const amount = v === 'approval.fee_mismatch' ? wrongFee(rng, item.feeStandard) : item.feeStandard
    b.add('fee', b.last + rng.int(5, 60) * MINUTE, { amount })
  }
  const completed = b.add('completed', onDay(rng, day, b.last))
  if (v === 'approval.poor_rating' || rng.chance(0.35)) {
    const score = v === 'approval.poor_rating' ? rng.int(1, 2) : rng.pick([5, 5, 5, 5, 5, 5, 5, 4, 4, 3])
    // Half rate at the counter's rating pad (好差评器) right away, half later online.
    const t = rng.chance(0.5) ? completed + rng.int(1, 10) * MINUTE : officeAfter(rng, completed, rng.between(2, 48) * HOUR)
    b.add('evaluated', t, { score }, true)
  }
}

/** budget is how many whole counted days a clean case may use: it must finish before due soon (N − 2). */
function budget(item: ApprovalItem): number {
  // Calendar dates may land on a weekend and be rolled to Monday: keep two days in hand.
  return Math.max(0, item.promisedDays - 2 - (item.dayType === 'calendar' ? 2 : 0))
}

function suspendable(item: ApprovalItem): boolean {
  return item.dayType === 'working' && item.promisedDays >= 5
}

/** workDay is the k-th counted date after t's date, rolled forward to a weekday. */
function workDay(t: number, k: number, dayType: DayType): number {
  return weekdayFrom(countedDay(t, k, dayType))
}

/** wrongFee is a charge that differs from the standard (违规收费): overcharging, or charging for a free item. */
function wrongFee(rng: Rng, standard: number): number {
  if (standard === 0) return rng.pick([20, 50, 100, 200])
  return rng.pick([standard * 2, standard + 50, Math.round(standard * 1.5)])
}

const weighted = DEPARTMENTS.filter((d) => d.approvals.length > 0)
const totalWeight = weighted.reduce((a, d) => a + d.weight, 0)

/** weightedDept picks a department in proportion to its share of applications. */
function weightedDept(rng: Rng): Department {
  let x = rng.next() * totalWeight
  for (const d of weighted) {
    if (x < d.weight) return d
    x -= d.weight
  }
  return weighted[weighted.length - 1]!
}
