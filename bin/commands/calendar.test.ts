import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { embeddedDataDir } from '../../test-support/embeddedDataDir.ts'
import { runCommand } from '../command.ts'
import { calendarCommand } from './calendar.ts'

const EXAMPLE = fileURLToPath(new URL('../../common/time/calendars/example-2027.yaml', import.meta.url))

/** run runs `jiancha calendar ARGS` and returns what it printed. */
async function run(...args: string[]): Promise<{ code: number; out: string }> {
  let out = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s)
    return true
  })
  try {
    return { code: await runCommand('calendar', calendarCommand, args), out }
  } finally {
    spy.mockRestore()
  }
}

describe('jiancha calendar on an embedded database', () => {
  const dir = embeddedDataDir('jiancha-calendar-')
  beforeAll(() => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  })
  afterAll(() => {
    vi.restoreAllMocks()
  })

  it('lists the bundled years before any import', async () => {
    const r = await run('list')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^2025 {2}bundled {2}国务院办公厅关于2025年/m)
    expect(r.out).toMatch(/^2026 {2}bundled /m)
    expect(r.out).not.toMatch(/^2027/m)
    expect(r.out).toContain('other years are counted Monday–Friday')
  })

  it('imports a file and prints its summary with the working days per month', async () => {
    const r = await run('import', EXAMPLE, '--by', 'alice')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`imported 2027 from ${EXAMPLE} (EXAMPLE ONLY`)
    expect(r.out).toContain('holidays: 7 (28 days), make-up working days: 6')
    expect(r.out).toMatch(/month +1 +2 +3 +4 +5 +6 +7 +8 +9 +10 +11 +12 +total/)
    // February: 20 weekdays, less 5 inside 春节, plus 2 make-up days = 17.
    expect(r.out).toMatch(/working days +20 +17 +23 +22 +19 +21 +22 +22 +22 +17 +22 +23 +250/)
  })

  it('lists the imported year with who imported it', async () => {
    const r = await run('list')
    expect(r.out).toMatch(/^2027 {2}imported \d{4}-\d{2}-\d{2}T[\d:]+\+08:00 by alice {2}EXAMPLE ONLY/m)
  })

  it('shows a year: each holiday range and the make-up days', async () => {
    const r = await run('show', '2027')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^2027 \(imported\) EXAMPLE ONLY/)
    expect(r.out).toMatch(/^ {2}春节 +2027-02-06 ~ 2027-02-13 +8 days +Sat–Sat$/m)
    expect(r.out).toMatch(/^ {2}端午节 +2027-06-09 +1 day +Wed$/m)
    expect(r.out).toContain('make-up working days (调休上班): 6')
    expect(r.out).toMatch(/^ {2}2027-02-20 Sat$/m)
  })

  it('shows a bundled year', async () => {
    const r = await run('show', '2026')
    expect(r.out).toMatch(/^2026 \(bundled\)/)
    expect(r.out).toMatch(/^ {2}国庆节 +2026-10-01 ~ 2026-10-07 +7 days/m)
    expect(r.out).toMatch(/^ {2}2026-10-10 Sat$/m)
  })

  it('replaces a year imported again and says so', async () => {
    const file = join(dir(), 'cal2027.yaml')
    writeFileSync(file, 'year: 2027\nsource: second\nholidays:\n  元旦: 2027-01-01\n')
    const r = await run('import', file, '--by', 'bob')
    expect(r.out).toMatch(/replaces the 2027 imported .* by alice/)
    expect((await run('show', '2027')).out).toMatch(/^2027 \(imported\) second\nholidays: 1, 1 days/)
  })

  it('refuses a wrong file, naming the file and the key, and keeps the stored year', async () => {
    const file = join(dir(), 'bad.yaml')
    writeFileSync(file, 'year: 2027\nholidays:\n  春节: 2027-02-06 ~ 2027-02-31\n')
    await expect(run('import', file)).rejects.toThrow(`${file}: holidays.春节: "2027-02-31" is not a date`)
    expect((await run('show', '2027')).out).toMatch(/^2027 \(imported\) second/)
  })

  it('gives clear errors for a missing file, an uncovered year and bad usage', async () => {
    await expect(run('import', join(dir(), 'nope.yaml'))).rejects.toThrow(/cannot read .*nope\.yaml: no such file/)
    await expect(run('import')).rejects.toThrow('import needs exactly one FILE')
    await expect(run('show', '2031')).rejects.toThrow('2031 has no schedule (covered: 2025, 2026, 2027); it is counted Monday–Friday')
    await expect(run('show', '27')).rejects.toThrow('YEAR must be a year such as 2027, got "27"')
    await expect(run('frob')).rejects.toThrow('unknown subcommand "frob"')
    await expect(run()).rejects.toThrow('missing subcommand')
  })
})
