/**
 * Schedule helpers: when an officer does the next step of a case. Officers work
 * office hours on weekdays, with a little overtime when a step cannot wait.
 */
import type { Rng } from './prng.ts'
import { isWeekday, MINUTE, nextOfficeOpen, officeTime } from './shanghai.ts'

/** onDay returns an office-hours instant on local day `day`, after `notBefore` (spilling into overtime if need be). */
export function onDay(rng: Rng, day: number, notBefore: number): number {
  const t = officeTime(day, rng.next())
  // A step later on the same day than the previous one, not a random earlier time.
  return t > notBefore ? t : notBefore + rng.int(5, 60) * MINUTE
}

/** officeAfter returns an instant `delay` ms after t, moved into office hours if it falls outside them. */
export function officeAfter(rng: Rng, t: number, delay = 0): number {
  const raw = t + delay
  const open = nextOfficeOpen(raw)
  // Spread the morning queue instead of stacking every moved step at 09:00:00.
  return open === raw ? raw : open + rng.int(0, 90) * MINUTE
}

/** weekdayFrom returns `day` or, if it is a weekend, the following Monday. */
export function weekdayFrom(day: number): number {
  while (!isWeekday(day)) day++
  return day
}
