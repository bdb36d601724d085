/**
 * The calendar store: schedules that administrators imported (`jiancha calendar
 * import`), kept in calendar_years, one row per year. The platform's calendar is the
 * bundled schedules overlaid by the stored ones, so a year can be corrected without
 * a release.
 */
import type { Queryable } from '../db/index.ts'
import type { CalendarYear } from './calendar.ts'
import { validateCalendarYear } from './calendarFile.ts'
import { bundledYears } from './calendars/bundled.ts'

/** CalendarImport describes one stored year: who imported it, when, from what notice. */
export interface CalendarImport {
  year: number
  source: string | null
  importedAt: Date
  importedBy: string | null
}

interface Row {
  year: number
  schedule: { holidays?: unknown; workdays?: unknown }
  source: string | null
}

/**
 * saveCalendarYear stores a year, replacing an earlier import of the same year. It
 * checks the schedule again, so that no caller can store one the file parser would refuse.
 */
export async function saveCalendarYear(db: Queryable, y: CalendarYear, importedBy: string | null): Promise<void> {
  const v = validateCalendarYear(y, `calendar year ${y.year}`)
  await db.query(
    `INSERT INTO calendar_years (year, schedule, source, imported_at, imported_by) VALUES ($1, $2, $3, now(), $4)
     ON CONFLICT (year) DO UPDATE SET schedule = EXCLUDED.schedule, source = EXCLUDED.source, imported_at = now(), imported_by = EXCLUDED.imported_by`,
    [v.year, JSON.stringify({ holidays: v.holidays, workdays: v.workdays }), v.source ?? null, importedBy],
  )
}

/** loadCalendarYears returns the stored years, ascending; a row that fails the checks throws, naming its year. */
export async function loadCalendarYears(db: Queryable): Promise<CalendarYear[]> {
  const r = await db.query<Row>('SELECT year, schedule, source FROM calendar_years ORDER BY year')
  return r.rows.map((row) =>
    validateCalendarYear(
      { year: row.year, ...(row.source !== null ? { source: row.source } : {}), holidays: row.schedule.holidays, workdays: row.schedule.workdays },
      `calendar_years (year ${row.year})`,
    ),
  )
}

/** listCalendarImports describes the stored years, ascending. */
export async function listCalendarImports(db: Queryable): Promise<CalendarImport[]> {
  const r = await db.query<{ year: number; source: string | null; imported_at: Date; imported_by: string | null }>(
    'SELECT year, source, imported_at, imported_by FROM calendar_years ORDER BY year',
  )
  return r.rows.map((x) => ({ year: x.year, source: x.source, importedAt: x.imported_at, importedBy: x.imported_by }))
}

/** platformCalendarYears is the calendar the platform runs on: bundled years overlaid by stored ones, ascending. */
export async function platformCalendarYears(db: Queryable): Promise<CalendarYear[]> {
  return overlay(bundledYears(), await loadCalendarYears(db))
}

/** overlay merges two sets of years; for a year in both, the one from `over` wins whole. */
export function overlay(base: readonly CalendarYear[], over: readonly CalendarYear[]): CalendarYear[] {
  const byYear = new Map<number, CalendarYear>()
  for (const y of base) byYear.set(y.year, y)
  for (const y of over) byYear.set(y.year, y)
  return [...byYear.values()].sort((a, b) => a.year - b.year)
}
