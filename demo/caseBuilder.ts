/**
 * CaseBuilder writes the events of one simulated case in lifecycle order, giving each
 * a deterministic id and an instant strictly after the previous one, so that sorting
 * by `at` never reorders a lifecycle.
 */
import type { CaseEvent, Kind } from '../common/contract/index.ts'
import type { Rng } from './prng.ts'
import { formatLocal, MINUTE } from './shanghai.ts'

/** SOURCE is the `source` of every simulated event. */
export const SOURCE = 'simulator'

/** CaseHead is what every event of a case shares. */
export interface CaseHead {
  seed: number
  index: number
  kind: Kind
  caseId: string
  dept: string
  /** The officer handling the case; citizens' own events carry no actor. */
  actor: string
}

/** CaseBuilder accumulates a case's events and their instants (epoch ms). */
export class CaseBuilder {
  readonly events: CaseEvent[] = []
  readonly times: number[] = []

  constructor(readonly head: CaseHead) {}

  /** last is the instant of the latest event, or -Infinity before the first. */
  get last(): number {
    return this.times.length ? this.times[this.times.length - 1]! : -Infinity
  }

  /** add appends an event no earlier than t and returns the instant it got. */
  add(type: string, t: number, attrs?: Record<string, unknown>, byCitizen = false): number {
    // Whole seconds, so that `at` round-trips exactly; never earlier than t.
    let at = Math.ceil(t / 1000) * 1000
    if (at <= this.last) at = this.last + MINUTE
    const { seed, index, kind, caseId, dept, actor } = this.head
    const ev: CaseEvent = { id: `sim-${seed}-${index}-${this.events.length}`, source: SOURCE, kind, type, caseId, dept, at: formatLocal(at) }
    if (!byCitizen) ev.actor = actor
    if (attrs) ev.attrs = attrs
    this.events.push(ev)
    this.times.push(at)
    return at
  }
}

/** CasePlan is one simulated case: its events in lifecycle order and the rule it was built to break, if any. */
export interface CasePlan {
  kind: Kind
  caseId: string
  dept: string
  /** The contract rule this case is meant to fire (e.g. `approval.overdue`), or null for a clean case. */
  violation: string | null
  events: CaseEvent[]
  /** Epoch ms of each event, parallel to `events`. */
  times: number[]
}

const LETTER: Record<Kind, string> = { approval: 'A', enforcement: 'E', petition: 'P', supervision: 'S' }

/** newCase starts the builder of case `index`, with caseId `SIM-<A|E|P|S>-<index>` and an officer of `dept`. */
export function newCase(seed: number, index: number, kind: Kind, dept: string, rng: Rng): CaseBuilder {
  const actor = `${dept}-${String(rng.int(1, 30)).padStart(3, '0')}`
  return new CaseBuilder({ seed, index, kind, caseId: `SIM-${LETTER[kind]}-${index}`, dept, actor })
}

/** finish turns a builder into its plan. */
export function finish(b: CaseBuilder, violation: string | null): CasePlan {
  const { kind, caseId, dept } = b.head
  return { kind, caseId, dept, violation, events: b.events, times: b.times }
}
