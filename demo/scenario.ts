/**
 * The demo city's scenario: which case arrives when, and every event of its life.
 * Everything here is a pure function of (seed, index), so the simulator can stop,
 * restart and resend: the same case always has the same events with the same ids.
 */
import type { CaseEvent, Kind } from '../common/contract/index.ts'
import { approvalCase } from './approval.ts'
import type { CasePlan } from './caseBuilder.ts'
import { enforcementCase } from './enforcement.ts'
import { petitionCase } from './petition.ts'
import { rngFor, type Rng } from './prng.ts'
import { DAY } from './shanghai.ts'
import { supervisionCase } from './supervision.ts'

/** LIFESPAN_DAYS bounds how long after its arrival a case can still produce events. */
export const LIFESPAN_DAYS = 200

/** KIND_MIX is the share of each kind among arriving cases. */
export const KIND_MIX: Readonly<Record<Kind, number>> = { approval: 0.6, enforcement: 0.2, petition: 0.12, supervision: 0.08 }

const BUILDERS: Record<Kind, (seed: number, index: number, arrival: number, rng: Rng) => CasePlan> = {
  approval: approvalCase,
  enforcement: enforcementCase,
  petition: petitionCase,
  supervision: supervisionCase,
}

/** planCase builds case `index` arriving at `arrival` (epoch ms), with the rule it was built to break. */
export function planCase(seed: number, index: number, arrival: number): CasePlan {
  const rng = rngFor(seed, index)
  let x = rng.next()
  let kind: Kind = 'supervision'
  for (const k of Object.keys(KIND_MIX) as Kind[]) {
    if (x < KIND_MIX[k]) {
      kind = k
      break
    }
    x -= KIND_MIX[k]
  }
  return BUILDERS[kind](seed, index, arrival, rng)
}

/** caseEvents returns the whole lifecycle of case `index`, sorted by `at`. */
export function caseEvents(seed: number, index: number, arrival: number): CaseEvent[] {
  return planCase(seed, index, arrival).events
}

/** arrivalOf returns when case `index` arrives: index / rate days after simStart plus jitter, non-decreasing in index. */
export function arrivalOf(seed: number, index: number, simStart: number, ratePerDay: number): number {
  // Jitter within the case's own slot [index, index + 1) keeps arrivals monotone.
  const jitter = rngFor(seed, index, 1).next()
  return simStart + Math.floor(((index + jitter) * DAY) / ratePerDay)
}

/** caseRange returns the indexes [lo, hi] of every case that may have an event in (from, to]. */
export function caseRange(simStart: number, ratePerDay: number, from: number, to: number): [number, number] {
  const slot = DAY / ratePerDay
  // Case i arrives before simStart + (i + 1) slots and has no event after arrival + lifespan.
  const lo = Math.max(0, Math.floor((from - LIFESPAN_DAYS * DAY - simStart) / slot) - 1)
  const hi = Math.floor((to - simStart) / slot)
  return [lo, hi]
}

/** Timed is a generated event with its instant and its place in the global order. */
export interface Timed {
  t: number
  index: number
  n: number
  ev: CaseEvent
}

/** byTime orders events by instant, then case index, then position in the case. */
export function byTime(a: Timed, b: Timed): number {
  return a.t - b.t || a.index - b.index || a.n - b.n
}

/** timedEvents returns the events of case `index` with their instants. */
export function timedEvents(seed: number, index: number, simStart: number, ratePerDay: number): Timed[] {
  const plan = planCase(seed, index, arrivalOf(seed, index, simStart, ratePerDay))
  return plan.events.map((ev, n) => ({ t: plan.times[n]!, index, n, ev }))
}

/** eventsBetween returns every event of the scenario with from < at ≤ to, sorted by at. */
export function eventsBetween(seed: number, simStart: number, ratePerDay: number, from: number, to: number): CaseEvent[] {
  if (!(to > from)) return []
  const [lo, hi] = caseRange(simStart, ratePerDay, from, to)
  const out: Timed[] = []
  for (let i = lo; i <= hi; i++) {
    for (const e of timedEvents(seed, i, simStart, ratePerDay)) if (e.t > from && e.t <= to) out.push(e)
  }
  return out.sort(byTime).map((e) => e.ev)
}
