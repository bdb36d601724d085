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

/** supervisionDue gives the `dueAt` in force for a task (supervision.overdue fires there), or null when it was never assigned one. */
export function supervisionDue(events: readonly TimedEvent[]): number | null {
  return dueInForce(events)?.due ?? null
}

/**
 * dueInForce reads a task's due time and the `assigned` that set it. A later `assigned`
 * that arrives before the due time in force resets the due time (re-assignment).
 */
export function dueInForce(events: readonly TimedEvent[]): { due: number; cause: string; assigned: TimedEvent } | null {
  let found: { due: number; cause: string; assigned: TimedEvent } | null = null
  for (const e of events) {
    if (found !== null && e.t >= found.due) break
    if (e.ev.type !== 'assigned') continue
    const t = parseInstant(String(e.ev.attrs?.dueAt ?? ''))
    if (Number.isNaN(t)) continue
    found = { due: t, cause: e.ev.id, assigned: e }
  }
  return found
}

/** overdue: a task passes the `dueAt` in force without `completed`. */
function overdue(events: readonly TimedEvent[], _ctx: RuleContext, out: Candidate[]): void {
  const d = dueInForce(events)
  if (!d || anyBefore(events, DONE, d.due)) return
  out.push({ rule: 'supervision.overdue', level: 'red', at: d.due, causes: [d.cause] })
}
