import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { WorkCalendar } from './calendar.ts'
import { CalendarFileError, parseCalendarFile, validateCalendarYear } from './calendarFile.ts'
import { bundledYears } from './calendars/bundled.ts'
import { dayFromIso } from './zone.ts'

const EXAMPLE = readFileSync(new URL('./calendars/example-2027.yaml', import.meta.url), 'utf8')

const BASE = `year: 2027
source: test
holidays:
  元旦: 2027-01-01 ~ 2027-01-03
  春节: 2027-02-06 ~ 2027-02-13
  中秋节: 2027-09-15
  国庆节: 2027-10-01 ~ 2027-10-07
workdays: [2027-02-14, 2027-02-20]
`

/** variant replaces one line (or fragment) of BASE. */
const variant = (from: string, to: string) => {
  if (!BASE.includes(from)) throw new Error(`BASE has no ${from}`)
  return BASE.replace(from, to)
}

const LIST = `year: 2027
holidays:
  - { name: 元旦, from: 2027-01-01, to: 2027-01-03 }
  - { name: 春节, from: 2027-02-06, to: 2027-02-13 }
workdays: []
`

describe('parseCalendarFile reads the short text form', () => {
  it('reads the example file: ranges, single dates, make-up days', () => {
    const y = parseCalendarFile(EXAMPLE, 'example-2027.yaml')
    expect(y.year).toBe(2027)
    expect(y.source).toMatch(/^EXAMPLE ONLY/)
    expect(y.holidays).toHaveLength(7)
    expect(y.holidays[1]).toEqual({ name: '春节', from: '2027-02-06', to: '2027-02-13' })
    expect(y.holidays[4]).toEqual({ name: '端午节', from: '2027-06-09', to: '2027-06-09' })
    expect(y.workdays).toEqual(['2027-02-14', '2027-02-20', '2027-04-25', '2027-05-08', '2027-09-26', '2027-10-09'])
  })

  it('gives a schedule the WorkCalendar reads as published', () => {
    const cal = new WorkCalendar([parseCalendarFile(EXAMPLE, 'example-2027.yaml')])
    expect(cal.isWorkingDay(dayFromIso('2027-02-08'))).toBe(false) // Monday in 春节
    expect(cal.isWorkingDay(dayFromIso('2027-02-20'))).toBe(true) // make-up Saturday
    expect(cal.isWorkingDay(dayFromIso('2027-06-09'))).toBe(false) // one-day 端午节
    expect(cal.isWorkingDay(dayFromIso('2027-06-10'))).toBe(true)
  })

  it.each([['～'], ['至'], [' ~ ']])('accepts %j between the ends of a range', (sep) => {
    const y = parseCalendarFile(variant('2027-02-06 ~ 2027-02-13', `2027-02-06${sep}2027-02-13`), 'x.yaml')
    expect(y.holidays[1]).toEqual({ name: '春节', from: '2027-02-06', to: '2027-02-13' })
  })

  it('sorts holidays by start and make-up days ascending', () => {
    const y = parseCalendarFile(variant('workdays: [2027-02-14, 2027-02-20]', 'workdays: [2027-02-20, 2027-02-14]'), 'x.yaml')
    expect(y.workdays).toEqual(['2027-02-14', '2027-02-20'])
    const z = parseCalendarFile('year: 2027\nholidays:\n  国庆节: 2027-10-01 ~ 2027-10-07\n  元旦: 2027-01-01\n', 'x.yaml')
    expect(z.holidays.map((h) => h.name)).toEqual(['元旦', '国庆节'])
    expect(z.workdays).toEqual([])
  })
})

describe('parseCalendarFile reads the bundled shape', () => {
  it.each(bundledYears().map((y) => [y.year, y] as const))('reads the bundled %i as JSON, unchanged', (_, y) => {
    expect(parseCalendarFile(JSON.stringify(y, null, 2), `${y.year}.json`)).toEqual(y)
  })

  it.each(bundledYears().map((y) => [y.year, y] as const))('reads the bundled %i as YAML, unchanged', (_, y) => {
    expect(parseCalendarFile(stringify(y), `${y.year}.yaml`)).toEqual(y)
  })

  it('reads a YAML list of {name, from, to}', () => {
    expect(parseCalendarFile(LIST, 'list.yaml').holidays).toEqual([
      { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
      { name: '春节', from: '2027-02-06', to: '2027-02-13' },
    ])
  })
})

describe('parseCalendarFile refuses a wrong file, naming the key', () => {
  it('names the file, the key and the value', () => {
    expect(() => parseCalendarFile(variant('2027-02-06 ~ 2027-02-13', '2027-02-06 ~ 2027-02-31'), 'cal2027.yaml')).toThrow(
      new CalendarFileError('cal2027.yaml', 'holidays.春节', '"2027-02-31" is not a date'),
    )
    expect(() => parseCalendarFile(variant('2027-02-06 ~ 2027-02-13', '2027-02-06 ~ 2027-02-31'), 'cal2027.yaml')).toThrow(
      'cal2027.yaml: holidays.春节: "2027-02-31" is not a date',
    )
  })

  it.each([
    ['year missing', variant('year: 2027\n', ''), 'year: must be a year such as 2027, got nothing'],
    ['year as text', variant('year: 2027', 'year: "2027"'), 'year: must be a year such as 2027, got "2027"'],
    ['year out of range', variant('year: 2027', 'year: 207'), 'year: must be a year such as 2027, got 207'],
    ['unknown key', variant('workdays:', 'workday:'), 'workday: is not a known key (known: year, source, holidays, workdays)'],
    ['empty source', variant('source: test', 'source: ""'), 'source: must be a non-empty text, got ""'],
    ['holidays missing', 'year: 2027\nworkdays: []\n', 'holidays: is missing'],
    ['holidays empty', 'year: 2027\nholidays: {}\n', 'holidays: is empty'],
    ['holidays as text', 'year: 2027\nholidays: 春节\n', 'holidays: must be a mapping name: "from ~ to" or a list of {name, from, to}'],
    ['not a date', variant('2027-01-01 ~ 2027-01-03', '2027-1-1 ~ 2027-01-03'), 'holidays.元旦: "2027-1-1" is not a date; write YYYY-MM-DD'],
    ['impossible date', variant('中秋节: 2027-09-15', '中秋节: 2027-09-31'), 'holidays.中秋节: "2027-09-31" is not a date'],
    ['three ends', variant('2027-01-01 ~ 2027-01-03', '2027-01-01 ~ 2027-01-02 ~ 2027-01-03'), 'holidays.元旦: must be "YYYY-MM-DD ~ YYYY-MM-DD" or one date'],
    ['open range', variant('2027-01-01 ~ 2027-01-03', '2027-01-01 ~'), 'holidays.元旦: must be "YYYY-MM-DD ~ YYYY-MM-DD" or one date'],
    ['range as a list', variant('2027-01-01 ~ 2027-01-03', '[2027-01-01, 2027-01-03]'), 'holidays.元旦: must be "YYYY-MM-DD ~ YYYY-MM-DD" or one date, got ["2027-01-01","2027-01-03"]'],
    ['range as null', variant('2027-01-01 ~ 2027-01-03', '~'), 'holidays.元旦: must be "YYYY-MM-DD ~ YYYY-MM-DD" or one date, got null'],
    ['start in another year', variant('2027-01-01 ~ 2027-01-03', '2026-12-31 ~ 2027-01-02'), 'holidays.元旦: "2026-12-31" is not in 2027'],
    ['end in another year', variant('2027-10-01 ~ 2027-10-07', '2027-12-31 ~ 2028-01-01'), 'holidays.国庆节: "2028-01-01" is not in 2027'],
    ['ends before it starts', variant('2027-02-06 ~ 2027-02-13', '2027-02-13 ~ 2027-02-06'), 'holidays.春节: 2027-02-13 ~ 2027-02-06 ends before it starts'],
    ['too long', variant('2027-02-06 ~ 2027-02-13', '2027-02-06 ~ 2027-03-06'), 'holidays.春节: 2027-02-06 ~ 2027-03-06 is 29 days; more than 15 is taken for a typo'],
    ['overlap', variant('中秋节: 2027-09-15', '中秋节: 2027-09-29 ~ 2027-10-01'), 'holidays.国庆节: 2027-10-01 ~ 2027-10-07 overlaps holidays.中秋节 (2027-09-29 ~ 2027-10-01)'],
    ['workdays not a list', variant('workdays: [2027-02-14, 2027-02-20]', 'workdays: 2027-02-14'), 'workdays: must be a list of dates'],
    ['make-up day on a weekday', variant('2027-02-20]', '2027-02-17]'), 'workdays[1]: "2027-02-17" is a Wednesday; a make-up working day (调休上班) falls on a Saturday or Sunday'],
    ['make-up day inside a holiday', variant('[2027-02-14,', '[2027-02-13,'), 'workdays[0]: "2027-02-13" is inside holidays.春节 (2027-02-06 ~ 2027-02-13)'],
    ['make-up day twice', variant('2027-02-20]', '2027-02-14]'), 'workdays[1]: "2027-02-14" is already listed as workdays[0]'],
    ['make-up day in another year', variant('[2027-02-14,', '[2026-12-26,'), 'workdays[0]: "2026-12-26" is not in 2027'],
    ['make-up day not a date', variant('[2027-02-14,', '[2027-02-30,'), 'workdays[0]: "2027-02-30" is not a date'],
    ['make-up day as a number', variant('[2027-02-14,', '[20270214,'), 'workdays[0]: must be a date "YYYY-MM-DD", got 20270214'],
    ['list item bad date', listVariant('from: 2027-02-06', 'from: 2027-13-06'), 'holidays[1].from: "2027-13-06" is not a date'],
    ['list item no name', listVariant('name: 元旦, ', ''), 'holidays[0].name: must be a non-empty name such as 春节, got nothing'],
    ['list item unknown key', listVariant('to: 2027-01-03', 'until: 2027-01-03'), 'holidays[0].until: is not a known key (known: name, from, to)'],
    ['list item missing end', listVariant(', to: 2027-01-03', ''), 'holidays[0].to: must be a date "YYYY-MM-DD", got nothing'],
    ['list item not a mapping', listVariant('- { name: 元旦, from: 2027-01-01, to: 2027-01-03 }', '- 元旦'), 'holidays[0]: must be {name, from, to}, got "元旦"'],
    ['name used twice', listVariant('name: 春节', 'name: 元旦'), 'holidays[1]: repeats the name "元旦" of holidays[0]'],
    ['not a mapping', '- 2027\n', 'x.yaml: must be a mapping with year, holidays and workdays'],
    ['key twice (YAML)', variant('中秋节: 2027-09-15', '元旦: 2027-09-15'), 'x.yaml: is not valid YAML: Map keys must be unique'],
  ])('%s', (_, text, message) => {
    let err: unknown
    try {
      parseCalendarFile(text, 'x.yaml')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(CalendarFileError)
    expect((err as Error).message).toContain(message)
    expect((err as Error).message.startsWith('x.yaml: ')).toBe(true)
  })

  it('reports JSON syntax in a .json file as JSON', () => {
    expect(() => parseCalendarFile('{"year": 2027,', '2027.json')).toThrow(/^2027\.json: is not valid JSON: /)
  })

  it('names the key of a value that came from the database', () => {
    expect(() => validateCalendarYear({ year: 2027, holidays: [{ name: 'x', from: '2027-01-01', to: 'soon' }] }, 'calendar_years (year 2027)')).toThrow(
      'calendar_years (year 2027): holidays[0].to: "soon" is not a date; write YYYY-MM-DD',
    )
  })
})

function listVariant(from: string, to: string): string {
  if (!LIST.includes(from)) throw new Error(`LIST has no ${from}`)
  return LIST.replace(from, to)
}
