/**
 * bundledCalendar loads the official schedules shipped with the platform
 * (2025 and 2026); administrators add later years with `jiancha calendar import`.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CalendarYear } from '../calendar.ts'

const dir = fileURLToPath(new URL('.', import.meta.url))

/** bundledYears returns every shipped CalendarYear, ascending. */
export function bundledYears(): CalendarYear[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as CalendarYear)
}
