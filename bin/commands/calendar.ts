/**
 * `jiancha calendar`: the working-day calendar administration. `import FILE` checks and
 * stores a year's official schedule, `show [YEAR]` prints one, `list` names the years
 * covered and whether each is bundled with the platform or imported.
 */
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { configHelp, loadConfig, type Config } from '../../common/config/index.ts'
import type { Db } from '../../common/db/index.ts'
import { openConfiguredDb } from '../infra.ts'
import { bundledYears, type CalendarYear, DAY_MS, dayFromIso, listCalendarImports, loadCalendarYears, overlay, parseCalendarFile, saveCalendarYear, weekdayOf, WorkCalendar, yearOf, Zone } from '../../common/time/index.ts'
import type { Command } from '../command.ts'

const USAGE = 'jiancha calendar import FILE | show [YEAR] | list   [--config FILE]'
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** calendarCommand is `jiancha calendar import FILE | show [YEAR] | list`. */
export const calendarCommand: Command = {
  summary: 'import, show and list the working-day calendar (official holiday schedules)',
  usage: USAGE,
  options: {
    config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' },
    by: { type: 'string', help: 'who imports, recorded with the year (default: the OS user)' },
  },
  more: () =>
    [
      'Subcommands:',
      '  import FILE   check a year\'s schedule (YAML or JSON, see docs/calendar.md) and store it;',
      '                importing a year again replaces it, and an imported year wins over a bundled one',
      '  show [YEAR]   print a year\'s holidays, make-up working days and working days per month',
      '                (default: the current year)',
      '  list          the years covered, bundled or imported',
      'A year without schedule is counted Monday–Friday and raises one calendar.uncovered yellow card.',
      '',
      `Settings:\n${configHelp()}`,
    ].join('\n'),
  async run(values, positionals) {
    const [sub, ...args] = positionals
    if (sub !== 'import' && sub !== 'show' && sub !== 'list') {
      throw new Error(`${sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`}; usage: ${USAGE}`)
    }
    const cfg = loadConfig({ file: values.config as string | undefined })
    const out = (s: string) => process.stdout.write(`${s}\n`)
    switch (sub) {
      case 'import': {
        if (args.length !== 1) throw new Error('import needs exactly one FILE, e.g. jiancha calendar import 2027.yaml')
        const by = typeof values.by === 'string' && values.by.trim() ? values.by.trim() : osUser()
        return withDb(cfg, (db) => importYear(db, args[0]!, by, cfg, out))
      }
      case 'show': {
        if (args.length > 1) throw new Error('show takes at most one YEAR, e.g. jiancha calendar show 2027')
        const year = args[0] === undefined ? yearOf(Zone.of(cfg.zone).dayOf(Date.now())) : parseYear(args[0])
        return withDb(cfg, (db) => showYear(db, year, out))
      }
      case 'list':
        if (args.length) throw new Error('list takes no arguments')
        return withDb(cfg, (db) => listYears(db, cfg, out))
    }
  },
}

async function importYear(db: Db, file: string, by: string | null, cfg: Config, out: (s: string) => void): Promise<number> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
  const y = parseCalendarFile(text, file)
  const before = (await listCalendarImports(db)).find((i) => i.year === y.year)
  await saveCalendarYear(db, y, by)
  const zone = Zone.of(cfg.zone)
  out(`imported ${y.year} from ${file}${y.source ? ` (${y.source})` : ''}`)
  if (before) out(`  replaces the ${y.year} imported ${zone.format(before.importedAt.getTime())}${before.importedBy ? ` by ${before.importedBy}` : ''}`)
  else if (bundledYears().some((b) => b.year === y.year)) out(`  overrides the bundled ${y.year} schedule`)
  out(`  holidays: ${y.holidays.length} (${holidayDays(y)} days), make-up working days: ${y.workdays.length}`)
  for (const line of monthTable(y)) out(`  ${line}`)
  out('  the rules engine reads the calendar when it starts: restart it to apply this year')
  return 0
}

async function showYear(db: Db, year: number, out: (s: string) => void): Promise<number> {
  const stored = await loadCalendarYears(db)
  const all = overlay(bundledYears(), stored)
  const y = all.find((x) => x.year === year)
  if (!y) {
    const covered = all.map((x) => x.year).join(', ') || 'none'
    throw new Error(`${year} has no schedule (covered: ${covered}); it is counted Monday–Friday and raises a calendar.uncovered card until one is imported with "jiancha calendar import FILE"`)
  }
  out(`${y.year} (${stored.some((s) => s.year === year) ? 'imported' : 'bundled'})${y.source ? ` ${y.source}` : ''}`)
  out(`holidays: ${y.holidays.length}, ${holidayDays(y)} days`)
  const width = Math.max(...y.holidays.map((h) => displayWidth(h.name)))
  for (const h of y.holidays) {
    const days = dayFromIso(h.to) - dayFromIso(h.from) + 1
    const range = h.from === h.to ? h.from.padEnd(23) : `${h.from} ~ ${h.to}`
    out(`  ${h.name}${' '.repeat(width - displayWidth(h.name))}  ${range}  ${String(days).padStart(2)} day${days > 1 ? 's' : ' '}  ${weekdaySpan(h.from, h.to)}`)
  }
  out(`make-up working days (调休上班): ${y.workdays.length || 'none'}`)
  for (const w of y.workdays) out(`  ${w} ${WEEKDAY[weekdayOf(dayFromIso(w))]}`)
  for (const line of monthTable(y)) out(line)
  return 0
}

async function listYears(db: Db, cfg: Config, out: (s: string) => void): Promise<number> {
  const zone = Zone.of(cfg.zone)
  const bundled = bundledYears()
  const imports = await listCalendarImports(db)
  const years = [...new Set([...bundled.map((b) => b.year), ...imports.map((i) => i.year)])].sort((a, b) => a - b)
  for (const year of years) {
    const imp = imports.find((i) => i.year === year)
    const b = bundled.find((x) => x.year === year)
    if (imp) {
      const by = imp.importedBy ? ` by ${imp.importedBy}` : ''
      out(`${year}  imported ${zone.format(imp.importedAt.getTime())}${by}${b ? ', replaces the bundled one' : ''}${imp.source ? `  ${imp.source}` : ''}`)
    } else {
      out(`${year}  bundled${b!.source ? `  ${b!.source}` : ''}`)
    }
  }
  out('other years are counted Monday–Friday and raise one calendar.uncovered yellow card')
  return 0
}

/** monthTable counts a year's working days per month, on its own schedule only. */
function monthTable(y: CalendarYear): string[] {
  const cal = new WorkCalendar([y])
  const counts = new Array<number>(12).fill(0)
  for (let d = dayFromIso(`${y.year}-01-01`); d <= dayFromIso(`${y.year}-12-31`); d++) {
    if (cal.isWorkingDay(d)) counts[new Date(d * DAY_MS).getUTCMonth()]! += 1
  }
  const total = counts.reduce((a, b) => a + b, 0)
  return [
    `month        ${counts.map((_, i) => String(i + 1).padStart(3)).join('')}  total`,
    `working days ${counts.map((c) => String(c).padStart(3)).join('')}  ${String(total).padStart(5)}`,
  ]
}

function holidayDays(y: CalendarYear): number {
  return y.holidays.reduce((n, h) => n + dayFromIso(h.to) - dayFromIso(h.from) + 1, 0)
}

function weekdaySpan(from: string, to: string): string {
  const a = WEEKDAY[weekdayOf(dayFromIso(from))]
  return from === to ? a! : `${a}–${WEEKDAY[weekdayOf(dayFromIso(to))]}`
}

/** displayWidth counts CJK characters as two columns, so holiday names line up. */
function displayWidth(s: string): number {
  let w = 0
  for (const ch of s) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1
  return w
}

function parseYear(s: string): number {
  if (!/^\d{4}$/.test(s)) throw new Error(`YEAR must be a year such as 2027, got "${s}"`)
  return Number(s)
}

function osUser(): string | null {
  try {
    return userInfo().username || null
  } catch {
    // no passwd entry for the uid (some containers)
    return process.env.USER || null
  }
}

async function withDb(cfg: Config, fn: (db: Db) => Promise<number>): Promise<number> {
  const db = await openConfiguredDb(cfg)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}
