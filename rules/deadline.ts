/**
 * The deadline clock of contract §2: N days, working or calendar, started by an
 * event at instant t. Time counts from 00:00 of the day after t's local date, only
 * on counted dates (24 h each), and not while the case is suspended.
 */
import { DAY_MS, type WorkCalendar, type Zone } from '../common/time/index.ts'

export type DayType = 'working' | 'calendar'

/** Pause is a half-open interval [from, to) of suspension; `to` is Infinity while still suspended. */
export interface Pause {
  from: number
  to: number
}

/** ClockSpec describes one deadline clock. */
export interface ClockSpec {
  /** instant of the event that starts the clock */
  start: number
  dayType: DayType
  /** suspensions, sorted by `from`, not overlapping */
  pauses?: readonly Pause[]
}

/** ClockDeps are the pure collaborators a clock needs. */
export interface ClockDeps {
  zone: Zone
  calendar: WorkCalendar
}

const NO_PAUSES: readonly Pause[] = []

/**
 * A clock never looks further than this many dates ahead, nor counts more days than
 * this: ten years is beyond any legal term (the contract caps day counts at 3650, but
 * petition extensions add up), and no input may make a clock walk without end.
 */
export const MAX_DATES = 3660

/** clockStart returns 00:00 of the day after the start event's local date. */
export function clockStart(spec: ClockSpec, deps: ClockDeps): number {
  return deps.zone.startOf(deps.zone.dayOf(spec.start) + 1)
}

/**
 * instantAfter returns the instant at which `days` × 24 h have counted on the clock,
 * or null when that never happens (the case stays suspended first).
 * days = 0 gives the clock's start (contract: "due soon as soon as the clock starts").
 */
export function instantAfter(spec: ClockSpec, days: number, deps: ClockDeps): number | null {
  const { zone, calendar } = deps
  const first = zone.dayOf(spec.start) + 1
  if (days <= 0) return zone.startOf(first)
  if (!(days <= MAX_DATES)) return null // never within any horizon the platform serves (NaN too)
  const pauses = spec.pauses ?? NO_PAUSES
  if (Number.isInteger(days) && (pauses.length === 0 || pauses[pauses.length - 1]!.to <= zone.startOf(first))) {
    // No pause after the clock starts: the due instant is 00:00 after the N-th counted date.
    return zone.startOf((spec.dayType === 'working' ? calendar.nthWorkingDay(first, days) : first + days - 1) + 1)
  }
  let need = days * DAY_MS
  let p = 0
  for (let d = first; d < first + MAX_DATES; d++) {
    if (spec.dayType === 'working' && !calendar.isWorkingDay(d)) continue
    let a = zone.startOf(d)
    const b = zone.startOf(d + 1)
    // Walk the counted date's free segments between pauses.
    while (p < pauses.length && pauses[p]!.to <= a) p++
    let q = p
    while (a < b) {
      const pause = q < pauses.length ? pauses[q]! : null
      const segEnd = pause && pause.from < b ? Math.max(a, pause.from) : b
      const len = segEnd - a
      if (len >= need) return a + need
      need -= len
      if (!pause || pause.from >= b) break
      if (pause.to === Infinity) return null
      a = Math.max(a, pause.to)
      q++
    }
  }
  return null
}

/**
 * dueSoonDays turns a term N and a warning margin W into the days after which the
 * case is due soon: N − W, or 0 (the clock's start) when N ≤ W.
 */
export function dueSoonDays(n: number, w: number): number {
  return Math.max(0, n - w)
}
