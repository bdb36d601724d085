/**
 * The lifecycle of a simulated enforcement case (行政执法): filed → penalty → concluded,
 * or filed → concluded with no penalty (不予处罚). Clean cases decide well before the
 * due-soon instant (limitDays − 10); a few decide late or outside the discretionary range.
 */
import { DEPARTMENTS, type EnforcementType } from './city.ts'
import { finish, newCase, type CasePlan } from './caseBuilder.ts'
import type { Rng } from './prng.ts'
import { onDay, officeAfter, weekdayFrom } from './schedule.ts'
import { localDay } from './shanghai.ts'
import { drawViolation, type Mix } from './violations.ts'

/** ENFORCEMENT_MIX is the share of enforcement cases built to fire each rule (10% in all). */
export const ENFORCEMENT_MIX = {
  'enforcement.overdue': 0.05,
  'enforcement.discretion': 0.05,
} as const satisfies Mix<string>

const depts = DEPARTMENTS.filter((d) => d.enforcement.length > 0)

/** enforcementCase builds enforcement case `index`. */
export function enforcementCase(seed: number, index: number, arrival: number, rng: Rng): CasePlan {
  const v = drawViolation(rng, ENFORCEMENT_MIX)
  const dept = rng.pick(depts)
  const type = rng.pick(dept.enforcement)
  const b = newCase(seed, index, 'enforcement', dept.code, rng)
  const L = type.limitDays
  const filed = b.add('filed', officeAfter(rng, arrival), { limitDays: L, cause: type.name })
  // Clean decisions leave at least 3 days (weekend roll included) before due soon at L − 10.
  const days = v === 'enforcement.overdue' ? L + rng.int(3, 40) : rng.int(Math.ceil(L * 0.1), Math.min(Math.round(L * 0.7), L - 13))
  const day = weekdayFrom(localDay(filed) + days)
  if (!v && rng.chance(0.15)) {
    b.add('concluded', onDay(rng, day, filed))
    return finish(b, v)
  }
  const amount = v === 'enforcement.discretion' ? outsideRange(rng, type) : insideRange(rng, type)
  const penalty = b.add('penalty', onDay(rng, day, filed), { amount, min: type.min, max: type.max })
  b.add('concluded', onDay(rng, weekdayFrom(localDay(penalty) + rng.int(3, 20)), penalty))
  return finish(b, v)
}

/** insideRange is a penalty within the discretionary range, rounded as officers write them. */
function insideRange(rng: Rng, t: EnforcementType): number {
  const step = t.max >= 10_000 ? 100 : 10
  const x = Math.round(rng.between(t.min, t.max) / step) * step
  return Math.min(t.max, Math.max(t.min, x))
}

/** outsideRange is a penalty above the maximum or below the minimum (裁量异常). */
function outsideRange(rng: Rng, t: EnforcementType): number {
  const step = t.max >= 10_000 ? 100 : 10
  if (rng.chance(0.6)) return Math.ceil((t.max * rng.between(1.2, 2)) / step) * step
  return Math.floor((t.min * rng.between(0.3, 0.7)) / step) * step
}
