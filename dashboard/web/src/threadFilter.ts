/**
 * The console's thread filter: one state chip (在办, a single state, or 全部) and an
 * optional level, turned into the query of GET /api/v1/threads. Each role starts where
 * its work is: an inspector on what waits for review, everyone else on open threads.
 * An inspector with nothing to review is not left on an empty list: the console moves
 * on to the open threads, and says why.
 */
import type { Level, Role, State, ThreadQuery } from '../../../common/contract/api.ts'
import { STATE_ORDER } from './labels.ts'

/** StateChip is one chip of the state filter. */
export type StateChip = 'open' | 'all' | State

/** STATE_CHIPS lists the chips in display order. */
export const STATE_CHIPS: readonly StateChip[] = ['open', ...STATE_ORDER, 'all']

/** ThreadFilter is what the console lists. */
export interface ThreadFilter {
  chip: StateChip
  level: Level | null
}

/** LIST_LIMIT is how many threads a list asks for; the newest change comes first. */
export const LIST_LIMIT = 200

/** defaultFilter is where a role's console starts. */
export function defaultFilter(role: Role): ThreadFilter {
  return { chip: role === 'inspector' ? 'rectification_submitted' : 'open', level: null }
}

/** filterQuery turns the filter into the list's query. */
export function filterQuery(f: ThreadFilter): ThreadQuery {
  const q: ThreadQuery = { limit: LIST_LIMIT }
  if (f.chip === 'open') q.open = true
  else if (f.chip !== 'all') q.state = [f.chip]
  if (f.level) q.level = f.level
  return q
}

/**
 * fallbackFilter is where an inspector's first view moves when their review queue is
 * empty: the open threads. Null when the view stays (another role, another chip, or
 * something to review).
 */
export function fallbackFilter(role: Role, f: ThreadFilter, listed: number): ThreadFilter | null {
  if (role !== 'inspector' || listed > 0) return null
  const start = defaultFilter(role)
  return f.chip === start.chip && f.level === start.level ? { chip: 'open', level: null } : null
}
