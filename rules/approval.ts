/**
 * Rules for administrative approvals (行政审批), contract §3. Each function is
 * causal: it reads only events earlier than the instant of the card it derives.
 */
import type { TimedEvent } from '../common/contract/index.ts'
import { num, str } from './attrs.ts'
import { allRules, anyBefore, firstOf, type Candidate, type KindRules, type RuleContext } from './candidate.ts'
import { dueSoonDays, instantAfter, type ClockSpec, type DayType } from './deadline.ts'
import { suspensionsOf, type Suspension } from './suspensions.ts'

/** Events that stop the promised-days clock (note 1: `decided` does not). */
const STOPS = ['completed', 'withdrawn'] as const
/** Events that end the wait for acceptance. A withdrawn application is no longer waiting, so it cannot be late to accept. */
const ANSWERS = ['accepted', 'rejected', 'withdrawn'] as const

/** approval splits the approval rules for the engine: the clocks read only the events of `clockTypes`. */
export const approval: KindRules = {
  clocks(events, ctx, out) {
    const pauses = suspensionsOf(events, STOPS)
    deadlines(events, ctx, pauses, out)
    acceptDelay(events, ctx, pauses, out)
    longSuspension(events, ctx, pauses, out)
  },
  clockTypes: new Set(['submitted', 'accepted', 'rejected', 'suspended', 'resumed', 'completed', 'withdrawn']),
  marks: eventRules,
}

/** approvalRules derives every card of one approval case. */
export const approvalRules = allRules(approval)

/** PromisedClock is an approval's clock of promised days: started by its first `accepted`, paused by its suspensions. */
interface PromisedClock {
  spec: ClockSpec
  days: number
  accepted: TimedEvent
}

function promisedClock(events: readonly TimedEvent[], pauses: readonly Suspension[]): PromisedClock | null {
  const accepted = firstOf(events, 'accepted')
  if (!accepted) return null
  const days = num(accepted.ev, 'promisedDays', 0)
  if (days < 1) return null
  const dayType: DayType = str(accepted.ev, 'dayType') === 'calendar' ? 'calendar' : 'working'
  return { spec: { start: accepted.t, dayType, pauses }, days, accepted }
}

/** PromisedTerm holds the instants of an approval's promised term; null where the clock never gets there (suspended for good). */
export interface PromisedTerm {
  /** when promisedDays × 24 h have counted: the case is due (approval.overdue fires here) */
  due: number | null
  /** when promisedDays × 12 h have counted on the same clock: half the promised time (提前办结) */
  half: number | null
}

/**
 * promisedTerm gives the instants of an accepted approval's promised term on the clock
 * its cards use, or null when it has no such clock (no `accepted` with promisedDays).
 */
export function promisedTerm(events: readonly TimedEvent[], ctx: RuleContext): PromisedTerm | null {
  const clock = promisedClock(events, suspensionsOf(events, STOPS))
  if (!clock) return null
  return { due: instantAfter(clock.spec, clock.days, ctx), half: instantAfter(clock.spec, clock.days / 2, ctx) }
}

function deadlines(events: readonly TimedEvent[], ctx: RuleContext, pauses: readonly Suspension[], out: Candidate[]): void {
  const clock = promisedClock(events, pauses)
  if (!clock) return
  const { spec, days: n, accepted } = clock
  const causes = [accepted.ev.id]
  for (const p of pauses) if (p.from >= accepted.t) causes.push(p.opened.ev.id)
  const w = ctx.settings.approval.dueSoonMarginDays
  const soon = instantAfter(spec, dueSoonDays(n, w), ctx)
  if (soon !== null && !anyBefore(events, STOPS, soon)) out.push({ rule: 'approval.due_soon', level: 'yellow', at: soon, causes })
  const due = instantAfter(spec, n, ctx)
  if (due !== null && !anyBefore(events, STOPS, due)) out.push({ rule: 'approval.overdue', level: 'red', at: due, causes })
}

function acceptDelay(events: readonly TimedEvent[], ctx: RuleContext, pauses: readonly Suspension[], out: Candidate[]): void {
  const submitted = firstOf(events, 'submitted')
  if (!submitted) return
  const x = instantAfter({ start: submitted.t, dayType: 'working', pauses }, ctx.settings.approval.acceptDays, ctx)
  if (x !== null && !anyBefore(events, ANSWERS, x)) {
    out.push({ rule: 'approval.accept_delay', level: 'yellow', at: x, causes: [submitted.ev.id] })
  }
}

function longSuspension(events: readonly TimedEvent[], ctx: RuleContext, pauses: readonly Suspension[], out: Candidate[]): void {
  for (const p of pauses) {
    // This clock measures the suspension itself, so the suspension does not pause it.
    const x = instantAfter({ start: p.from, dayType: 'working' }, ctx.settings.approval.longSuspensionDays, ctx)
    // A suspension that ends at x itself comes too late (contract §2): it was already due.
    if (x !== null && p.to >= x) {
      out.push({ rule: 'approval.long_suspension', level: 'yellow', at: x, causes: [p.opened.ev.id] })
      return
    }
  }
}

function eventRules(events: readonly TimedEvent[], ctx: RuleContext, out: Candidate[]): void {
  let accepted: TimedEvent | undefined
  let decided: TimedEvent | undefined
  let noReason = false
  let outOfOrder = false
  let feeMismatch = false
  let poor = false
  for (const e of events) {
    const ev = e.ev
    switch (ev.type) {
      case 'accepted':
        accepted ??= e
        break
      case 'rejected':
        if (!noReason && !(str(ev, 'reason') ?? '').trim()) {
          noReason = true
          out.push({ rule: 'approval.no_reason', level: 'yellow', at: e.t, causes: [ev.id] })
        }
        break
      case 'decided':
      case 'completed':
        if (!outOfOrder && (!accepted || (ev.type === 'completed' && !decided))) {
          outOfOrder = true
          out.push({ rule: 'approval.out_of_order', level: 'red', at: e.t, causes: [ev.id] })
        }
        if (ev.type === 'decided') decided ??= e
        break
      case 'fee': {
        const standard = accepted ? num(accepted.ev, 'feeStandard', 0) : 0
        if (!feeMismatch && cents(num(ev, 'amount', 0)) !== cents(standard)) {
          feeMismatch = true
          out.push({ rule: 'approval.fee_mismatch', level: 'red', at: e.t, causes: accepted ? [accepted.ev.id, ev.id] : [ev.id] })
        }
        break
      }
      case 'evaluated':
        if (!poor && num(ev, 'score', 5) <= ctx.settings.approval.poorRatingMax) {
          poor = true
          out.push({ rule: 'approval.poor_rating', level: 'yellow', at: e.t, causes: [ev.id] })
        }
        break
    }
  }
}

/** Fees are money: compare in whole fen so that 80 and 80.000001 agree. */
function cents(yuan: number): number {
  return Math.round(yuan * 100)
}
