/**
 * The cooperation counts (配合落实, docs/kpi.md) of one supervision thread, as facts at
 * the deadlines that place them in a period: its acknowledgement falls due `ackHours`
 * office hours after the department was notified (when the inspectors take it over,
 * 督办), its rectification at its rectification deadline. Each counts once its
 * deadline has passed or its outcome is known; on time means strictly before the
 * deadline. A withdrawn thread counts for nothing.
 */
import { afterWorkingHours } from '../common/time/index.ts'
import type { ClockDeps } from '../rules/index.ts'
import type { Fact } from './caseFacts.ts'

/** ThreadView is what the counts read of a thread (alerts' threadDeadlines). */
export interface ThreadView {
  id: number
  dept: string
  state: string
  notifiedAt: number | null
  ackAt: number | null
  rectificationDueAt: number | null
  approvedAt: number | null
  updatedAt: number
}

/** threadFacts lists a thread's cooperation facts as they stand at `now`. */
export function threadFacts(t: ThreadView, now: number, ackHours: number, deps: ClockDeps): Fact[] {
  if (t.state === 'withdrawn') return []
  const out: Fact[] = []
  const count = (due: number, done: number | null, dueName: Fact['count'], onTime: Fact['count']) => {
    if (due > now && done === null) return
    out.push({ count: dueName, dept: t.dept, t: due })
    if (done !== null && done < due) out.push({ count: onTime, dept: t.dept, t: due })
  }
  if (t.notifiedAt !== null) count(afterWorkingHours(t.notifiedAt, ackHours, deps), t.ackAt, 'threads.ack_due', 'threads.ack_on_time')
  if (t.rectificationDueAt !== null) count(t.rectificationDueAt, t.approvedAt, 'threads.rect_due', 'threads.rect_on_time')
  return out
}
