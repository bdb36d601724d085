/**
 * Rules for petitions (信访), contract §3, except `petition.repeat`, which looks
 * across cases and lives in repeat.ts.
 */
import type { TimedEvent } from '../common/contract/index.ts'
import { bool, num } from './attrs.ts'
import { allRules, anyBefore, firstOf, type Candidate, type KindRules, type RuleContext } from './candidate.ts'
import { dueSoonDays, instantAfter, type ClockSpec } from './deadline.ts'

const ANSWERS = ['accepted', 'replied'] as const
const REPLIES = ['replied'] as const

/** petition splits the petition rules for the engine: the clocks read only the events of `clockTypes`. */
export const petition: KindRules = {
  clocks: deadlines,
  clockTypes: new Set(['registered', 'accepted', 'extended', 'replied']),
  marks: unsatisfied,
}

/** petitionRules derives every single-case card of one petition. */
export const petitionRules = allRules(petition)

/** petitionAcceptDue gives the instant a registered petition is late to be accepted (petition.accept_overdue fires here), or null when none is registered. */
export function petitionAcceptDue(events: readonly TimedEvent[], ctx: RuleContext): number | null {
  const registered = firstOf(events, 'registered')
  return registered ? acceptDue(registered, ctx) : null
}

/**
 * petitionReplyDue gives the instant an accepted petition's reply falls due, extensions
 * applied as the cards apply them (petition.reply_overdue fires here), or null when the
 * petition was not accepted.
 */
export function petitionReplyDue(events: readonly TimedEvent[], ctx: RuleContext): number | null {
  const accepted = firstOf(events, 'accepted')
  return accepted ? (extendedDeadline(events, replyClock(accepted), ctx.settings.petition.replyDays, 0, ctx)?.at ?? null) : null
}

function acceptDue(registered: TimedEvent, ctx: RuleContext): number | null {
  return instantAfter({ start: registered.t, dayType: 'calendar' }, ctx.settings.petition.acceptDays, ctx)
}

function replyClock(accepted: TimedEvent): ClockSpec {
  return { start: accepted.t, dayType: 'calendar' }
}

function deadlines(events: readonly TimedEvent[], ctx: RuleContext, out: Candidate[]): void {
  const s = ctx.settings.petition
  const registered = firstOf(events, 'registered')
  if (registered) {
    const x = acceptDue(registered, ctx)
    if (x !== null && !anyBefore(events, ANSWERS, x)) {
      out.push({ rule: 'petition.accept_overdue', level: 'red', at: x, causes: [registered.ev.id] })
    }
  }
  const accepted = firstOf(events, 'accepted')
  if (accepted) {
    const spec = replyClock(accepted)
    const soon = extendedDeadline(events, spec, s.replyDays, s.dueSoonMarginDays, ctx)
    if (soon && !anyBefore(events, REPLIES, soon.at)) {
      out.push({ rule: 'petition.reply_due_soon', level: 'yellow', at: soon.at, causes: [accepted.ev.id, ...soon.causes] })
    }
    const due = extendedDeadline(events, spec, s.replyDays, 0, ctx)
    if (due && !anyBefore(events, REPLIES, due.at)) {
      out.push({ rule: 'petition.reply_overdue', level: 'red', at: due.at, causes: [accepted.ev.id, ...due.causes] })
    }
  }
}

function unsatisfied(events: readonly TimedEvent[], _ctx: RuleContext, out: Candidate[]): void {
  for (const e of events) {
    if (e.ev.type === 'evaluated' && bool(e.ev, 'satisfied') === false) {
      out.push({ rule: 'petition.unsatisfied', level: 'yellow', at: e.t, causes: [e.ev.id] })
      return
    }
  }
}

/**
 * extendedDeadline applies `extended` events in order: each one that comes before
 * the deadline in force moves it; one that comes after it is too late (note 1: a
 * card that has fired stays fired). The deadline is `days` plus the extensions,
 * less the warning `margin` (see dueSoonDays).
 */
function extendedDeadline(
  events: readonly TimedEvent[],
  spec: ClockSpec,
  days: number,
  margin: number,
  ctx: RuleContext,
): { at: number; causes: string[] } | null {
  let ext = 0
  const causes: string[] = []
  let at = instantAfter(spec, dueSoonDays(days, margin), ctx)
  for (const e of events) {
    if (at === null || e.t >= at) break
    if (e.ev.type !== 'extended') continue
    ext += num(e.ev, 'days', 0)
    causes.push(e.ev.id)
    at = instantAfter(spec, dueSoonDays(days + ext, margin), ctx)
  }
  return at === null ? null : { at, causes }
}
