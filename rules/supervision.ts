/** Rules for supervised tasks (督办), contract §3. */
import type { TimedEvent } from '../common/contract/index.ts'
import { parseInstant } from '../common/time/index.ts'
import { allRules, anyBefore, type Candidate, type KindRules, type RuleContext } from './candidate.ts'

const DONE = ['completed'] as const

/** supervision splits the supervision rules for the engine: the clock reads only `assigned` and `completed`; no marks. */
export const supervision: KindRules = {
  clocks: overdue,
  clockTypes: new Set(['assigned', ...DONE]),
  marks: () => {},
}

/** supervisionRules derives every card of one supervised task. */
export const supervisionRules = allRules(supervision)

/**
 * overdue: a task passes `dueAt` without `completed`. A later `assigned` that
 * arrives before the due time in force resets the due time (re-assignment).
 */
function overdue(events: readonly TimedEvent[], _ctx: RuleContext, out: Candidate[]): void {
  let due: number | null = null
  let cause: string | null = null
  for (const e of events) {
    if (due !== null && e.t >= due) break
    if (e.ev.type !== 'assigned') continue
    const t = parseInstant(String(e.ev.attrs?.dueAt ?? ''))
    if (Number.isNaN(t)) continue
    due = t
    cause = e.ev.id
  }
  if (due === null || cause === null || anyBefore(events, DONE, due)) return
  out.push({ rule: 'supervision.overdue', level: 'red', at: due, causes: [cause] })
}
