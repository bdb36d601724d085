/**
 * suspensionsOf turns a case's `suspended`/`resumed` events into clock pauses.
 * A `suspended` while already suspended, or a `resumed` while running, changes nothing.
 */
import type { TimedEvent } from '../common/contract/index.ts'
import type { Pause } from './deadline.ts'

/** Suspension is one pause with the events that opened and closed it. */
export interface Suspension extends Pause {
  opened: TimedEvent
  closed?: TimedEvent
}

const NONE: readonly Suspension[] = []

/**
 * suspensionsOf lists the pauses of a case, in order; a case ends its open pause with
 * `end` types. Most cases have none: they share one empty list rather than make one each.
 */
export function suspensionsOf(events: readonly TimedEvent[], endTypes: readonly string[] = []): readonly Suspension[] {
  let out: Suspension[] | null = null
  let open: Suspension | null = null
  for (const e of events) {
    const type = e.ev.type
    if (type === 'suspended' && !open) {
      open = { from: e.t, to: Infinity, opened: e }
      ;(out ??= []).push(open)
    } else if ((type === 'resumed' || endTypes.includes(type)) && open) {
      open.to = e.t
      open.closed = e
      open = null
    }
  }
  return out ?? NONE
}
