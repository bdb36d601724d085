/**
 * What one case counts (kpi.md §2), beyond its workload and its cards: each count it
 * adds to, for the department of the event that adds it, at that event's instant (the
 * period is the one that holds it). Every "on time" compares the act with an instant
 * from the rules' own clocks (rules/index.ts), strictly: an act at the very instant
 * its deadline falls is late, as the cards treat it.
 */
import type { TimedEvent } from '../common/contract/index.ts'
import { caseContext, enforcementDue, petitionAcceptDue, petitionReplyDue, promisedTerm, supervisionDue, type RuleContext } from '../rules/index.ts'
import type { CountName } from './countNames.ts'

/** Tally is one unit of one count: for which department, at which instant. */
export interface Tally {
  count: CountName
  dept: string
  t: number
}

/**
 * caseTallies lists the tallies of one case. `events` are the case's events, each id
 * once, in case order (by `at`, then arrival): "first" and "earlier" are read in that
 * order, as the rules read them.
 */
export function caseTallies(events: readonly TimedEvent[], ctx: RuleContext): Tally[] {
  const first = events[0]
  if (!first) return []
  const c = caseContext(ctx, events)
  const out: Tally[] = []
  const add = (count: CountName, e: TimedEvent) => out.push({ count, dept: e.ev.dept, t: e.t })
  switch (first.ev.kind) {
    case 'approval':
      approval(events, c, add)
      break
    case 'enforcement':
      enforcement(events, c, add)
      break
    case 'petition':
      petition(events, c, add)
      break
    case 'supervision':
      supervision(events, add)
      break
  }
  return out
}

type Add = (count: CountName, e: TimedEvent) => void

function approval(events: readonly TimedEvent[], ctx: RuleContext, add: Add): void {
  const accepted = firstIndex(events, ['accepted'])
  if (accepted >= 0) add('approval.accepted', events[accepted]!)
  const completed = firstIndex(events, ['completed'])
  if (accepted >= 0 && completed > accepted) {
    const done = events[completed]!
    add('approval.completed', done)
    // A valid `accepted` always starts the clock; were there none, nothing would fall due.
    const term = promisedTerm(events, ctx)
    if (inTime(done.t, term?.due ?? null)) add('approval.on_time', done)
    if (inTime(done.t, term?.half ?? null)) add('approval.early', done)
  }
  for (const e of events) {
    if (e.ev.type !== 'evaluated') continue
    add('approval.evaluated', e)
    // 差评 as approval.poor_rating reads it: a score of at most poorRatingMax (2).
    const score = e.ev.attrs?.score
    if (typeof score === 'number' && score <= ctx.settings.approval.poorRatingMax) add('approval.poor', e)
  }
}

function enforcement(events: readonly TimedEvent[], ctx: RuleContext, add: Add): void {
  const filed = firstIndex(events, ['filed'])
  const decided = firstIndex(events, ['penalty', 'concluded'])
  if (filed < 0 || decided <= filed) return
  const e = events[decided]!
  add('enforcement.decided', e)
  if (inTime(e.t, enforcementDue(events, ctx))) add('enforcement.on_time', e)
}

function petition(events: readonly TimedEvent[], ctx: RuleContext, add: Add): void {
  const registered = firstIndex(events, ['registered'])
  const answered = firstIndex(events, ['accepted', 'replied'])
  if (registered >= 0 && answered > registered) {
    const e = events[answered]!
    add('petition.accepted', e)
    if (inTime(e.t, petitionAcceptDue(events, ctx))) add('petition.accepted_on_time', e)
  }
  const accepted = firstIndex(events, ['accepted'])
  const replied = firstIndex(events, ['replied'])
  if (accepted >= 0 && replied > accepted) {
    const e = events[replied]!
    add('petition.replied', e)
    if (inTime(e.t, petitionReplyDue(events, ctx))) add('petition.replied_on_time', e)
  }
  for (const e of events) {
    if (e.ev.type !== 'evaluated') continue
    add('petition.evaluated', e)
    if (e.ev.attrs?.satisfied === true) add('petition.satisfied', e)
  }
}

function supervision(events: readonly TimedEvent[], add: Add): void {
  const assigned = firstIndex(events, ['assigned'])
  const completed = firstIndex(events, ['completed'])
  if (assigned < 0 || completed <= assigned) return
  const e = events[completed]!
  add('supervision.completed', e)
  if (inTime(e.t, supervisionDue(events))) add('supervision.on_time', e)
}

/** firstIndex is the index of the first event of one of `types`, or −1. */
function firstIndex(events: readonly TimedEvent[], types: readonly string[]): number {
  return events.findIndex((e) => types.includes(e.ev.type))
}

/** inTime: strictly before the deadline; a deadline that never comes (null) is never missed. */
function inTime(t: number, due: number | null): boolean {
  return due === null || t < due
}
