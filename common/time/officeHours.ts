/**
 * Office hours (09:00–17:00 on working days) for rules that count working hours,
 * such as a source going silent (数据中断).
 */
import type { ClockDeps } from '../../rules/index.ts'

const HOUR = 3_600_000

/** OFFICE is the working day's span in local hours. */
export const OFFICE = { start: 9, end: 17 } as const

/**
 * afterWorkingHours returns the instant at which `hours` office hours have passed
 * since `since`; time outside office hours and on non-working days does not count.
 */
export function afterWorkingHours(since: number, hours: number, deps: ClockDeps): number {
  const { zone, calendar } = deps
  let need = hours * HOUR
  // Ten years of dates bound the walk, as for the deadline clock.
  for (let d = zone.dayOf(since), end = d + 3660; d < end; d++) {
    if (!calendar.isWorkingDay(d)) continue
    // Local office hours, also on a day clocks change.
    const a = Math.max(since, zone.instantAt(d, OFFICE.start * HOUR))
    const b = zone.instantAt(d, OFFICE.end * HOUR)
    if (a >= b) continue
    if (b - a >= need) return a + need
    need -= b - a
  }
  return Infinity
}
