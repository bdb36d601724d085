/**
 * The lifecycle of a simulated supervised task (督办): assigned with a due time →
 * progress reports → completed. A few finish after their due time or never.
 */
import { DEPARTMENTS } from './city.ts'
import { finish, newCase, type CasePlan } from './caseBuilder.ts'
import type { Rng } from './prng.ts'
import { onDay, officeAfter, weekdayFrom } from './schedule.ts'
import { formatLocal, localDay, MINUTE, officeTime } from './shanghai.ts'
import { drawViolation, type Mix } from './violations.ts'

/** SUPERVISION_MIX is the share of supervised tasks built to miss their due time (15%). */
export const SUPERVISION_MIX = {
  'supervision.overdue': 0.15,
} as const satisfies Mix<string>

const depts = DEPARTMENTS.filter((d) => d.supervisionTasks.length > 0)

/** supervisionCase builds supervised task `index`. */
export function supervisionCase(seed: number, index: number, arrival: number, rng: Rng): CasePlan {
  const v = drawViolation(rng, SUPERVISION_MIX)
  const dept = rng.pick(depts)
  const b = newCase(seed, index, 'supervision', dept.code, rng)
  const assigned = officeAfter(rng, arrival)
  // Due at close of business (17:30) on a weekday.
  const dueDay = weekdayFrom(localDay(assigned) + rng.pick([7, 10, 15, 20, 30, 45]))
  const dueAt = officeTime(dueDay, 1)
  b.add('assigned', assigned, { title: rng.pick(dept.supervisionTasks), dueAt: formatLocal(dueAt) })
  const never = v !== null && rng.chance(0.4)
  const late = v !== null && !never
  const span = dueDay - localDay(assigned)
  const doneDay = late ? weekdayFrom(dueDay + rng.int(1, 10)) : weekdayFrom(localDay(assigned) + rng.int(Math.ceil(span * 0.3), span - 1))
  progress(rng, b, localDay(assigned), never ? dueDay : doneDay)
  if (never) return finish(b, v)
  let done = onDay(rng, doneDay, b.last)
  // A weekend roll may land on the due date itself: then finish that afternoon, before 17:30.
  if (!late && done >= dueAt - 60 * MINUTE) done = Math.max(b.last + MINUTE, dueAt - rng.int(60, 240) * MINUTE)
  b.add('completed', done)
  return finish(b, v)
}

/** progress reports up to three rising percentages on days strictly between `from` and `until`. */
function progress(rng: Rng, b: ReturnType<typeof newCase>, from: number, until: number): void {
  const n = rng.int(0, 3)
  const days = Array.from({ length: n }, () => weekdayFrom(from + rng.int(1, Math.max(1, until - from - 1))))
    .filter((d) => d < until)
    .sort((a, b) => a - b)
  let percent = 0
  for (const d of days) {
    percent = Math.min(90, percent + rng.int(2, 4) * 10)
    b.add('progress', onDay(rng, d, b.last), { percent })
  }
}
