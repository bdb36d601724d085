/**
 * Candidate is what a rule derives from a case's events: a card that fires at `at`
 * if the engine's clock reaches `at`. Rules are causal: a candidate at instant X
 * depends only on events before X, so live, replay and late-arriving events agree.
 */
import type { Level, TimedEvent } from '../common/contract/index.ts'
import type { WorkCalendar, Zone } from '../common/time/index.ts'
import type { RuleSettings } from './settings.ts'

export interface Candidate {
  rule: string
  level: Level
  at: number
  /** ids of the events that caused it */
  causes: string[]
}

/** RuleContext holds the pure collaborators every rule gets. */
export interface RuleContext {
  zone: Zone
  calendar: WorkCalendar
  settings: RuleSettings
}

/** CaseRules derives every candidate of one case from its events, sorted by (at, seq). */
export type CaseRules = (events: readonly TimedEvent[], ctx: RuleContext) => Candidate[]

/** RulePart derives some of a case's candidates and appends them to `out`. */
export type RulePart = (events: readonly TimedEvent[], ctx: RuleContext, out: Candidate[]) => void

/**
 * KindRules are one kind's rules in two parts, so that the engine need not derive the
 * deadline clocks again on every event: `clocks` reads only events whose type is in
 * `clockTypes` (its cards stay the same while no such event arrives), and `marks`
 * holds the cheap one-pass rules of single events, which may read any event.
 */
export interface KindRules {
  clocks: RulePart
  clockTypes: ReadonlySet<string>
  marks: RulePart
}

/** allRules joins the two parts of a kind's rules into one CaseRules: clocks first, then marks. */
export function allRules(rules: KindRules): CaseRules {
  return (events, ctx) => {
    const out: Candidate[] = []
    rules.clocks(events, ctx, out)
    rules.marks(events, ctx, out)
    return out
  }
}

/** before orders two events the way the contract does: by `at`, then arrival. */
export function before(a: TimedEvent, b: TimedEvent): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq)
}

/** firstOf returns the first event of the given type, in case order. */
export function firstOf(events: readonly TimedEvent[], type: string): TimedEvent | undefined {
  for (const e of events) if (e.ev.type === type) return e
  return undefined
}

/** anyBefore returns the first event among `types` strictly before instant x, if any. */
export function anyBefore(events: readonly TimedEvent[], types: readonly string[], x: number): TimedEvent | undefined {
  for (const e of events) {
    if (e.t >= x) break
    if (types.includes(e.ev.type)) return e
  }
  return undefined
}
