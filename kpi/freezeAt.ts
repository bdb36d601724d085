/**
 * When a period's figures become official: at its end plus a grace period for late
 * data, `graceDays` working days of the official calendar (default 3). The grace ends
 * at 00:00 after the graceDays-th working day on or after the period's end date: the
 * month of November 2026 ends on Tuesday 1 December, so with 3 days (1, 2, 3 December)
 * it is frozen at 00:00 on Friday 4 December.
 */
import type { WorkCalendar, Zone } from '../common/time/index.ts'
import { type Period, periodEnd } from './period.ts'

/** freezeAt is the instant a period is frozen. */
export function freezeAt(p: Period, graceDays: number, deps: { zone: Zone; calendar: WorkCalendar }): number {
  const end = periodEnd(p, deps.zone)
  if (graceDays <= 0) return end
  return deps.zone.startOf(deps.calendar.nthWorkingDay(deps.zone.dayOf(end), graceDays) + 1)
}
