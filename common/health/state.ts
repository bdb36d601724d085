/** How a component is doing, judged from its connections and its own problems. Pure. */
import { type ConnectionStatus, type ErrorNote, HEALTH_STATES, type HealthState, RECENT_ERROR_MS, type StatusProblem } from '../contract/index.ts'

/**
 * judge decides a component's state: down while its database or bus is down (it cannot
 * do its work), degraded when its connections are up but it has problems of its own,
 * ok otherwise. The problems list the connections' first.
 */
export function judge(db: ConnectionStatus, bus: ConnectionStatus, own: readonly StatusProblem[]): { state: HealthState; problems: StatusProblem[] } {
  const lost: StatusProblem[] = [...(db.up ? [] : (['db_down'] as const)), ...(bus.up ? [] : (['bus_down'] as const))]
  return { state: lost.length ? 'down' : own.length ? 'degraded' : 'ok', problems: [...lost, ...own] }
}

/** worstState is the worst of some states; ok when there are none. */
export function worstState(states: Iterable<HealthState>): HealthState {
  let worst = 0
  for (const s of states) worst = Math.max(worst, HEALTH_STATES.indexOf(s))
  return HEALTH_STATES[worst]!
}

/** isRecent tells whether a failure happened within RECENT_ERROR_MS before now (an unreadable instant counts as recent). */
export function isRecent(note: ErrorNote | null, now: number): boolean {
  if (!note) return false
  const t = Date.parse(note.at)
  return Number.isNaN(t) || now - t < RECENT_ERROR_MS
}
