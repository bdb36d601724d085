import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/index.ts'
import { openTestDbs } from '../db/testing.ts'
import { WorkCalendar, type CalendarYear } from './calendar.ts'
import { CalendarFileError, parseCalendarFile } from './calendarFile.ts'
import { listCalendarImports, loadCalendarYears, overlay, platformCalendarYears, saveCalendarYear } from './calendarStore.ts'
import { bundledYears } from './calendars/bundled.ts'
import { dayFromIso } from './zone.ts'

const EXAMPLE = parseCalendarFile(readFileSync(new URL('./calendars/example-2027.yaml', import.meta.url), 'utf8'), 'example-2027.yaml')

describe('overlay', () => {
  it('keeps every year and lets the second set win a year whole', () => {
    const a: CalendarYear = { year: 2026, holidays: [{ name: 'a', from: '2026-01-01', to: '2026-01-01' }], workdays: [] }
    const b: CalendarYear = { year: 2026, holidays: [{ name: 'b', from: '2026-01-02', to: '2026-01-02' }], workdays: [] }
    expect(overlay([EXAMPLE, a], [b])).toEqual([b, EXAMPLE])
  })
})

describe.each(openTestDbs())('calendar store on $name', (backend) => {
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('starts empty: the platform runs on the bundled years', async () => {
    expect(await loadCalendarYears(db)).toEqual([])
    expect(await platformCalendarYears(db)).toEqual(bundledYears())
  })

  it('stores a year and loads it back unchanged', async () => {
    await saveCalendarYear(db, EXAMPLE, 'alice')
    expect(await loadCalendarYears(db)).toEqual([EXAMPLE])
    const [imp] = await listCalendarImports(db)
    expect(imp).toMatchObject({ year: 2027, source: EXAMPLE.source, importedBy: 'alice' })
    expect(imp!.importedAt).toBeInstanceOf(Date)
  })

  it('replaces a year imported again', async () => {
    const fixed: CalendarYear = { year: 2027, holidays: [{ name: '春节', from: '2027-02-06', to: '2027-02-12' }], workdays: ['2027-02-20'] }
    await saveCalendarYear(db, fixed, null)
    expect(await loadCalendarYears(db)).toEqual([fixed])
    expect(await listCalendarImports(db)).toMatchObject([{ year: 2027, source: null, importedBy: null }])
    await saveCalendarYear(db, EXAMPLE, 'alice')
  })

  it('overlays the bundled years, a stored year winning over a bundled one', async () => {
    const bundled2026 = bundledYears().find((y) => y.year === 2026)!
    const moved: CalendarYear = { ...bundled2026, source: 'corrected', workdays: bundled2026.workdays.filter((w) => w !== '2026-10-10') }
    await saveCalendarYear(db, moved, 'bob')
    const years = await platformCalendarYears(db)
    expect(years.map((y) => y.year)).toEqual([2025, 2026, 2027])
    expect(years[1]).toEqual(moved)
    const cal = new WorkCalendar(years)
    expect(cal.isWorkingDay(dayFromIso('2026-10-10'))).toBe(false)
    expect(cal.isWorkingDay(dayFromIso('2027-02-08'))).toBe(false)
    expect(cal.isWorkingDay(dayFromIso('2027-02-20'))).toBe(true)
    await db.query('DELETE FROM calendar_years WHERE year = 2026')
  })

  it('refuses to store a schedule the file parser would refuse, and stores nothing', async () => {
    const bad: CalendarYear = { year: 2028, holidays: [{ name: '春节', from: '2028-01-26', to: '2028-01-20' }], workdays: [] }
    await expect(saveCalendarYear(db, bad, 'eve')).rejects.toThrow(CalendarFileError)
    expect((await loadCalendarYears(db)).map((y) => y.year)).toEqual([2027])
  })

  it('names the year of a stored row that no longer passes the checks', async () => {
    await db.query('INSERT INTO calendar_years (year, schedule) VALUES ($1, $2)', [2029, JSON.stringify({ holidays: [], workdays: [] })])
    await expect(loadCalendarYears(db)).rejects.toThrow('calendar_years (year 2029): holidays: is empty')
    await db.query('DELETE FROM calendar_years WHERE year = 2029')
  })
})
