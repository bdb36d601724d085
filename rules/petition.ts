/**
 * Rules for petitions (信访), contract §3, except `petition.repeat`, which looks
 * across cases and lives in repeat.ts.
 */
import type { TimedEvent } from '../common/contract/event.ts'
import { bool, num } from './attrs.ts'
import { anyBefore, firstOf, type Candidate, type RuleContext } from './candidate.ts'
import { dueSoonDays, instantAfter, type ClockSpec } from './clock.ts'

/** petitionRules derives every single-case card of one petition. */
export function petitionRules(events: readonly TimedEvent[], ctx: RuleContext): Candidate[] {
  const out: Candidate[] = []
  const s = ctx.settings.petition
  const registered = firstOf(events, 'registered')
  if (registered) {
    const x = instantAfter({ start: registered.t, dayType: 'calendar' }, s.acceptDays, ctx)
    if (x !== null && !anyBefore(events, ['accepted', 'replied'], x)) {
      out.push({ rule: 'petition.accept_overdue', level: 'red', at: x, causes: [registered.ev.id] })
    }
  }
  const accepted = firstOf(events, 'accepted')
  if (accepted) {
    const spec: ClockSpec = { start: accepted.t, dayType: 'calendar' }
    const soon = extendedDeadline(events, spec, (ext) => dueSoonDays(s.replyDays + ext, s.dueSoonMarginDays), ctx)
    if (soon && !anyBefore(events, ['replied'], soon.at)) {
      out.push({ rule: 'petition.reply_due_soon', level: 'yellow', at: soon.at, causes: [accepted.ev.id, ...soon.causes] })
    }
    const due = extendedDeadline(events, spec, (ext) => s.replyDays + ext, ctx)
    if (due && !anyBefore(events, ['replied'], due.at)) {
      out.push({ rule: 'petition.reply_overdue', level: 'red', at: due.at, causes: [accepted.ev.id, ...due.causes] })
    }
  }
  for (const e of events) {
    if (e.ev.type === 'evaluated' && bool(e.ev, 'satisfied') === false) {
      out.push({ rule: 'petition.unsatisfied', level: 'yellow', at: e.t, causes: [e.ev.id] })
      break
    }
  }
  return out
}

/**
 * extendedDeadline applies `extended` events in order: each one that comes before
 * the deadline in force moves it; one that comes after it is too late (note 1: a
 * card that has fired stays fired).
 */
function extendedDeadline(
  events: readonly TimedEvent[],
  spec: ClockSpec,
  days: (extension: number) => number,
  ctx: RuleContext,
): { at: number; causes: string[] } | null {
  let ext = 0
  const causes: string[] = []
  let at = instantAfter(spec, days(ext), ctx)
  for (const e of events) {
    if (at === null || e.t >= at) break
    if (e.ev.type !== 'extended') continue
    ext += num(e.ev, 'days', 0)
    causes.push(e.ev.id)
    at = instantAfter(spec, days(ext), ctx)
  }
  return at === null ? null : { at, causes }
}
