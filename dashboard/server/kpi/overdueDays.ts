/**
 * Overdue working days (超期工作日) of one overdue card, for decision support: the
 * working dates, on the platform's calendar, from the date of the due instant (the
 * card's `at`) through the date the lateness ended, both included, cut to the window
 * read. An act at the due instant itself is late (contract §2): its date counts. Pure.
 */
import type { WorkCalendar, Zone } from '../../../common/time/index.ts'

/** OverdueWindow is the dates read: the period's first date, and its last (or today, when earlier). */
export interface OverdueWindow {
  fromDay: number
  lastDay: number
}

/**
 * overdueWorkingDays counts the working dates from due's date through stop's date (the
 * first event that ended the lateness), or through window.lastDay while none came.
 */
export function overdueWorkingDays(due: number, stop: number | null, window: OverdueWindow, zone: Zone, calendar: WorkCalendar): number {
  const first = Math.max(zone.dayOf(due), window.fromDay)
  const last = stop === null ? window.lastDay : Math.min(zone.dayOf(stop), window.lastDay)
  let n = 0
  for (let d = first; d <= last; d++) if (calendar.isWorkingDay(d)) n++
  return n
}
