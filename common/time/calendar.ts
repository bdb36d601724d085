/**
 * WorkCalendar knows which dates are working days (contract §2): weekdays that are
 * not official holidays, plus weekend dates announced as make-up working days (调休上班).
 * The schedule is data, one year at a time, as the State Council publishes it.
 */
import { dayFromIso, isoFromDay, weekdayOf, yearOf, type Day } from './zone.ts'

/** CalendarYear is one published schedule: holiday ranges and make-up working days. */
export interface CalendarYear {
  year: number
  source?: string
  holidays: Array<{ name: string; from: string; to: string }>
  workdays: string[]
}

export class WorkCalendar {
  private readonly holidays = new Set<Day>()
  private readonly workdays = new Set<Day>()
  private readonly years = new Set<number>()
  private readonly uncovered = new Set<number>()
  private lo = 0
  private hi = -1
  private gappy = false
  /** working-day flags over [lo, hi], rebuilt on add: the hot path is one array read */
  private flags = new Uint8Array(0)
  private readonly nth = new Map<number, Day>()

  /**
   * @param onUncovered is told, once per year, that a working-day computation reached
   *   a year with no schedule; the calendar then falls back to plain Monday–Friday.
   */
  constructor(years: readonly CalendarYear[], private readonly onUncovered?: (year: number) => void) {
    for (const y of years) this.add(y)
  }

  /** add loads one year's schedule, replacing nothing: a date listed twice keeps one meaning. */
  add(y: CalendarYear): void {
    for (const h of y.holidays) {
      for (let d = dayFromIso(h.from); d <= dayFromIso(h.to); d++) this.holidays.add(d)
    }
    for (const w of y.workdays) this.workdays.add(dayFromIso(w))
    this.years.add(y.year)
    const first = dayFromIso(`${y.year}-01-01`)
    const last = dayFromIso(`${y.year}-12-31`)
    // lo..hi bounds the covered span so the common case skips the Date-based year lookup.
    this.lo = this.years.size === 1 ? first : Math.min(this.lo, first)
    this.hi = this.years.size === 1 ? last : Math.max(this.hi, last)
    const ys = [...this.years]
    this.gappy = Math.max(...ys) - Math.min(...ys) + 1 !== ys.length
    this.flags = new Uint8Array(this.hi - this.lo + 1)
    for (let d = this.lo; d <= this.hi; d++) this.flags[d - this.lo] = this.computeWorking(d) ? 1 : 0
    this.nth.clear()
  }

  /** covers tells whether the calendar holds the official schedule of a year. */
  covers(year: number): boolean {
    return this.years.has(year)
  }

  /** coveredYears lists the years with a schedule, ascending. */
  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b)
  }

  /** uncoveredYearsSeen lists the years a computation needed but the calendar lacks. */
  uncoveredYearsSeen(): number[] {
    return [...this.uncovered].sort((a, b) => a - b)
  }

  /** isWorkingDay tells whether local date d is a working day. */
  isWorkingDay(d: Day): boolean {
    if (d >= this.lo && d <= this.hi && !this.gappy) return this.flags[d - this.lo] === 1
    return this.computeWorking(d)
  }

  /**
   * nthWorkingDay returns the n-th working day on or after `from` (n ≥ 1). Deadlines
   * of many cases start on the same few days, so results are remembered.
   */
  nthWorkingDay(from: Day, n: number): Day {
    const key = from * 4096 + n
    const hit = n < 4096 ? this.nth.get(key) : undefined
    if (hit !== undefined) return hit
    let d = from - 1
    for (let k = 0; k < n; ) if (this.isWorkingDay(++d)) k++
    if (n < 4096) {
      if (this.nth.size > 200_000) this.nth.clear()
      this.nth.set(key, d)
    }
    return d
  }

  private computeWorking(d: Day): boolean {
    if (this.workdays.has(d)) return true
    if (this.holidays.has(d)) return false
    if (d < this.lo || d > this.hi || this.gappy) {
      if (!this.years.has(yearOf(d))) this.noteUncovered(d)
    }
    const wd = weekdayOf(d)
    return wd !== 0 && wd !== 6
  }

  private noteUncovered(d: Day): void {
    const y = yearOf(d)
    if (this.uncovered.has(y)) return
    this.uncovered.add(y)
    this.onUncovered?.(y)
  }

  /** kindOf says what a date is to the calendar: a working day, a make-up working day (调休上班), a holiday or a weekend. */
  kindOf(d: Day): 'working' | 'makeup' | 'holiday' | 'weekend' {
    if (this.workdays.has(d)) return 'makeup'
    if (this.holidays.has(d)) return 'holiday'
    return weekdayOf(d) % 6 === 0 ? 'weekend' : 'working'
  }

  /** describe names what a date is, for explanations: 工作日, 周末, 调休上班 or the holiday. */
  describe(d: Day): string {
    if (this.workdays.has(d)) return `${isoFromDay(d)} 调休上班`
    if (this.holidays.has(d)) return `${isoFromDay(d)} 法定节假日`
    return `${isoFromDay(d)} ${weekdayOf(d) % 6 === 0 ? '周末' : '工作日'}`
  }
}
