/**
 * Time arithmetic in the demo city's zone, Asia/Shanghai, as a fixed +08:00 offset
 * (China has no daylight saving time, so fixed arithmetic is exact). The simulator
 * approximates working days by weekdays: it has no holiday calendar, by design.
 */

/** MINUTE, HOUR and DAY are durations in milliseconds. */
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

const OFFSET = 8 * HOUR
const OPEN = 9 * HOUR
const CLOSE = 17.5 * HOUR

/** DayType says which dates a deadline counts: weekdays only, or every date. */
export type DayType = 'working' | 'calendar'

/** localDay returns the number of the local date of t (days since 1970-01-01 local). */
export function localDay(t: number): number {
  return Math.floor((t + OFFSET) / DAY)
}

/** dayStart returns the instant of 00:00 local on local day number `day`. */
export function dayStart(day: number): number {
  return day * DAY - OFFSET
}

/** isWeekday says whether local day number `day` is Monday..Friday. */
export function isWeekday(day: number): boolean {
  // 1970-01-01 was a Thursday: (day + 4) % 7 gives 0 = Sunday.
  const dow = (day + 4) % 7
  return dow !== 0 && dow !== 6
}

/** isOfficeHours says whether t falls on a weekday between 09:00 and 17:30 local. */
export function isOfficeHours(t: number): boolean {
  const day = localDay(t)
  const tod = t - dayStart(day)
  return isWeekday(day) && tod >= OPEN && tod < CLOSE
}

/** countedDay returns the local day number of the k-th counted date after t's date (k ≥ 0; k = 0 is t's date). */
export function countedDay(t: number, k: number, dayType: DayType): number {
  let day = localDay(t)
  if (dayType === 'calendar') return day + k
  for (let n = 0; n < k; ) {
    day++
    if (isWeekday(day)) n++
  }
  return day
}

/** nextOfficeOpen returns t if it is in office hours, else 09:00 of the next weekday after it. */
export function nextOfficeOpen(t: number): number {
  if (isOfficeHours(t)) return t
  let day = localDay(t)
  if (t - dayStart(day) >= OPEN) day++
  while (!isWeekday(day)) day++
  return dayStart(day) + OPEN
}

/** officeTime returns the instant `fraction` (0..1) of the way through office hours on local day `day`. */
export function officeTime(day: number, fraction: number): number {
  return dayStart(day) + OPEN + fraction * (CLOSE - OPEN)
}

/** formatLocal renders t (whole seconds) as RFC 3339 with the +08:00 offset. */
export function formatLocal(t: number): string {
  return new Date(t + OFFSET).toISOString().slice(0, 19) + '+08:00'
}
