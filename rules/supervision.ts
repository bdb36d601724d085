/** Rules for supervised tasks (督办), contract §3. */
import type { TimedEvent } from '../common/contract/event.ts'
import { parseInstant } from './zone.ts'
import { anyBefore, type Candidate, type RuleContext } from './candidate.ts'

/**
 * supervisionRules: a task passes `dueAt` without `completed`. A later `assigned`
 * that arrives before the due time in force resets the due time (re-assignment).
 */
export function supervisionRules(events: readonly TimedEvent[], _ctx: RuleContext): Candidate[] {
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
  if (due === null || cause === null || anyBefore(events, ['completed'], due)) return []
  return [{ rule: 'supervision.overdue', level: 'red', at: due, causes: [cause] }]
}
