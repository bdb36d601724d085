/**
 * The calendar import file: one year's official schedule as an administrator types it
 * from the State Council's notice. It is the bundled JSON shape, in JSON or YAML, or a
 * shorter text form where holidays map a name to "from ~ to" (or one date). Checking is
 * strict, because a wrong date silently moves every deadline that crosses it.
 */
import { parse as parseYaml } from 'yaml'
import type { CalendarYear } from './calendar.ts'
import { DAY_MS, isoFromDay, weekdayOf } from './zone.ts'

/** MAX_HOLIDAY_DAYS is the longest holiday accepted; a longer range is taken for a typo. */
export const MAX_HOLIDAY_DAYS = 15

/** CalendarFileError names the file and the key that is wrong. */
export class CalendarFileError extends Error {
  constructor(readonly origin: string, readonly key: string | null, problem: string) {
    super(`${origin}: ${key ? `${key}: ` : ''}${problem}`)
  }
}

/** parseCalendarFile reads JSON or YAML text and returns the validated, normalized year. */
export function parseCalendarFile(text: string, origin: string): CalendarYear {
  // YAML reads JSON too; a .json file still gets JSON's stricter syntax and its messages.
  const json = origin.toLowerCase().endsWith('.json')
  let raw: unknown
  try {
    raw = json ? JSON.parse(text) : parseYaml(text, { schema: 'core', uniqueKeys: true, logLevel: 'error' })
  } catch (e) {
    throw new CalendarFileError(origin, null, `is not valid ${json ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]!.replace(/:$/, '')}`)
  }
  return validateCalendarYear(raw, origin)
}

/** Range is one holiday while checking: where it came from in the file, and its days. */
interface Range {
  key: string
  name: string
  from: string
  to: string
  first: number
  last: number
}

const TOP_KEYS = ['year', 'source', 'holidays', 'workdays']
const ITEM_KEYS = ['name', 'from', 'to']
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/**
 * validateCalendarYear checks an already parsed value (file, database row) and returns
 * it normalized: holidays by start date, make-up days ascending.
 */
export function validateCalendarYear(raw: unknown, origin: string): CalendarYear {
  const fail = (key: string | null, problem: string): never => {
    throw new CalendarFileError(origin, key, problem)
  }
  if (!isObject(raw)) fail(null, 'must be a mapping with year, holidays and workdays')
  const o = raw as Record<string, unknown>
  for (const k of Object.keys(o)) if (!TOP_KEYS.includes(k)) fail(k, `is not a known key (known: ${TOP_KEYS.join(', ')})`)
  const year = o.year
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100) fail('year', `must be a year such as 2027, got ${quote(year)}`)
  const y = year as number
  if (o.source !== undefined && (typeof o.source !== 'string' || !o.source.trim())) fail('source', `must be a non-empty text, got ${quote(o.source)}`)
  const ranges = readHolidays(o.holidays, y, fail)
  checkOverlaps(ranges, fail)
  const workdays = readWorkdays(o.workdays, y, ranges, fail)
  return {
    year: y,
    ...(typeof o.source === 'string' ? { source: o.source.trim() } : {}),
    holidays: ranges.map((r) => ({ name: r.name, from: r.from, to: r.to })),
    workdays,
  }
}

type Fail = (key: string | null, problem: string) => never

function readHolidays(raw: unknown, year: number, fail: Fail): Range[] {
  if (raw === undefined || raw === null) return fail('holidays', 'is missing: list the holidays as name: from ~ to')
  const ranges: Range[] = []
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => ranges.push(readListItem(item, `holidays[${i}]`, year, fail)))
  } else if (isObject(raw)) {
    for (const [name, v] of Object.entries(raw)) ranges.push(readMappingItem(name, v, year, fail))
  } else {
    fail('holidays', `must be a mapping name: "from ~ to" or a list of {name, from, to}, got ${quote(raw)}`)
  }
  if (!ranges.length) fail('holidays', 'is empty: a published schedule has holidays')
  const names = new Map<string, string>()
  for (const r of ranges) {
    const seen = names.get(r.name)
    if (seen) fail(r.key, `repeats the name "${r.name}" of ${seen}`)
    names.set(r.name, r.key)
    if (r.first > r.last) fail(r.key, `${r.from} ~ ${r.to} ends before it starts`)
    const days = r.last - r.first + 1
    if (days > MAX_HOLIDAY_DAYS) fail(r.key, `${r.from} ~ ${r.to} is ${days} days; more than ${MAX_HOLIDAY_DAYS} is taken for a typo`)
  }
  return ranges.sort((a, b) => a.first - b.first)
}

function readListItem(item: unknown, key: string, year: number, fail: Fail): Range {
  if (!isObject(item)) return fail(key, `must be {name, from, to}, got ${quote(item)}`)
  const o = item as Record<string, unknown>
  for (const k of Object.keys(o)) if (!ITEM_KEYS.includes(k)) fail(`${key}.${k}`, `is not a known key (known: ${ITEM_KEYS.join(', ')})`)
  if (typeof o.name !== 'string' || !o.name.trim()) fail(`${key}.name`, `must be a non-empty name such as 春节, got ${quote(o.name)}`)
  const from = readDate(o.from, `${key}.from`, year, fail)
  const to = readDate(o.to, `${key}.to`, year, fail)
  return { key, name: (o.name as string).trim(), from: from.iso, to: to.iso, first: from.day, last: to.day }
}

/** readMappingItem reads `春节: 2027-02-06 ~ 2027-02-13`; `~`, `～` and `至` separate the ends. */
function readMappingItem(name: string, v: unknown, year: number, fail: Fail): Range {
  const key = `holidays.${name}`
  if (!name.trim()) fail(key, 'needs a name')
  if (typeof v !== 'string') return fail(key, `must be "YYYY-MM-DD ~ YYYY-MM-DD" or one date, got ${quote(v)}`)
  const parts = v.split(/[~～至]/).map((p) => p.trim())
  if (parts.length > 2 || parts.some((p) => !p)) fail(key, `must be "YYYY-MM-DD ~ YYYY-MM-DD" or one date, got ${quote(v)}`)
  const from = readDate(parts[0], key, year, fail)
  const to = parts.length === 2 ? readDate(parts[1], key, year, fail) : from
  return { key, name: name.trim(), from: from.iso, to: to.iso, first: from.day, last: to.day }
}

function checkOverlaps(sorted: Range[], fail: Fail): void {
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!
    const b = sorted[i]!
    if (b.first <= a.last) fail(b.key, `${b.from} ~ ${b.to} overlaps ${a.key} (${a.from} ~ ${a.to}); a shared holiday is one entry, e.g. "国庆节、中秋节"`)
  }
}

function readWorkdays(raw: unknown, year: number, holidays: Range[], fail: Fail): string[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) return fail('workdays', `must be a list of dates [YYYY-MM-DD, …], got ${quote(raw)}`)
  const seen = new Map<number, string>()
  raw.forEach((v, i) => {
    const key = `workdays[${i}]`
    const d = readDate(v, key, year, fail)
    const wd = weekdayOf(d.day)
    if (wd !== 0 && wd !== 6) fail(key, `"${d.iso}" is a ${WEEKDAYS[wd]}; a make-up working day (调休上班) falls on a Saturday or Sunday`)
    const inside = holidays.find((h) => d.day >= h.first && d.day <= h.last)
    if (inside) fail(key, `"${d.iso}" is inside ${inside.key} (${inside.from} ~ ${inside.to})`)
    if (seen.has(d.day)) fail(key, `"${d.iso}" is already listed as ${seen.get(d.day)}`)
    seen.set(d.day, key)
  })
  return [...seen.keys()].sort((a, b) => a - b).map(isoFromDay)
}

/** readDate accepts a real YYYY-MM-DD date within the file's year. */
function readDate(v: unknown, key: string, year: number, fail: Fail): { iso: string; day: number } {
  if (typeof v !== 'string') return fail(key, `must be a date "YYYY-MM-DD", got ${quote(v)}`)
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  if (!m) return fail(key, `"${v}" is not a date; write YYYY-MM-DD`)
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (isoFromDay(t / DAY_MS) !== v) fail(key, `"${v}" is not a date`)
  if (Number(m[1]) !== year) fail(key, `"${v}" is not in ${year}; each file holds one year`)
  return { iso: v, day: t / DAY_MS }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)
}

function quote(v: unknown): string {
  if (v === undefined) return 'nothing'
  const s = v instanceof Date ? v.toISOString() : JSON.stringify(v)
  return s.length > 60 ? `${s.slice(0, 57)}…` : s
}
