/**
 * The calendar.uncovered card: a working-day computation reached a year that has no
 * official schedule, so the platform counts Monday–Friday for it until an administrator
 * imports one. It is a platform alert, not a case alert: one per year, for everyone.
 */
import { alertKey, type Alert } from '../common/contract/index.ts'

/** UNCOVERED_RULE is the rule name of the card. */
export const UNCOVERED_RULE = 'calendar.uncovered'

/**
 * uncoveredAlert builds the yellow card for a year without schedule. Its key depends on
 * the year only, so the alert store's unique key keeps it to one card across restarts.
 */
export function uncoveredAlert(year: number, at: number, format: (t: number) => string, settingsVersion: string): Alert {
  const caseId = `calendar-${year}`
  return {
    key: alertKey(UNCOVERED_RULE, 'yellow', null, caseId),
    rule: UNCOVERED_RULE,
    level: 'yellow',
    kind: null,
    caseId,
    dept: 'platform',
    at: format(at),
    causes: [],
    settingsVersion,
  }
}

/**
 * UncoveredNotice collects the years that WorkCalendar reports as uncovered and hands
 * each out once, however many calendars (one per settings reload) report it again.
 */
export class UncoveredNotice {
  // Years are few (one per calendar year reached), so remembering them all stays small.
  private readonly handed = new Set<number>()
  private pending: number[] = []

  /** note is the WorkCalendar onUncovered callback; it is bound, so pass it as is. */
  readonly note = (year: number): void => {
    if (this.handed.has(year)) return
    this.handed.add(year)
    this.pending.push(year)
  }

  /** retry hands a year out again (its card could not be sent). */
  retry(year: number): void {
    if (!this.pending.includes(year)) this.pending.push(year)
  }

  /** drain returns the years noted since the last drain, ascending, and forgets them. */
  drain(): number[] {
    const out = this.pending.sort((a, b) => a - b)
    this.pending = []
    return out
  }
}
