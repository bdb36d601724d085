/**
 * EventStream is the incremental form of eventsBetween: it generates each case once,
 * when it arrives, and holds only the events still to come, so a tick costs the new
 * cases rather than the whole 200-day look-back.
 */
import type { CaseEvent } from '../common/contract/index.ts'
import { arrivalOf, byTime, caseRange, timedEvents, type Timed } from './scenario.ts'

/** EventStream yields the scenario's events window by window: (from, t1], (t1, t2], … */
export class EventStream {
  private next: number
  private pending: Timed[] = []

  /** The stream starts after `from`: events at or before it are never yielded. */
  constructor(
    private readonly seed: number,
    private readonly simStart: number,
    private readonly ratePerDay: number,
    private from: number,
  ) {
    this.next = caseRange(simStart, ratePerDay, from, from)[0]
  }

  /** position is the instant up to which events have been yielded. */
  get position(): number {
    return this.from
  }

  /** held is the number of generated events not yet yielded (bounded by the cases in progress). */
  get held(): number {
    return this.pending.length
  }

  /** advance returns every event with position < at ≤ to, sorted by at, and moves position to `to`. */
  advance(to: number): CaseEvent[] {
    if (!(to > this.from)) return []
    const { seed, simStart, ratePerDay } = this
    // Arrivals are non-decreasing, so the first case arriving after `to` ends the scan.
    for (; arrivalOf(seed, this.next, simStart, ratePerDay) <= to; this.next++) {
      for (const e of timedEvents(seed, this.next, simStart, ratePerDay)) if (e.t > this.from) this.pending.push(e)
    }
    const due: Timed[] = []
    const later: Timed[] = []
    for (const e of this.pending) (e.t <= to ? due : later).push(e)
    this.pending = later
    this.from = to
    return due.sort(byTime).map((e) => e.ev)
  }
}
