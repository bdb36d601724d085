import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { COUNT_NAMES } from '../../kpi/index.ts'
import { main } from '../cli.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const examples = `${root}common/contract/examples/`
const UNTIL = '2026-12-31T00:00:00+08:00'
const WORKED = `${root}kpi/testdata/worked-example.jsonl`
const DEFAULT = `${root}kpi/schemes/default.yaml`
const dir = mkdtempSync(join(tmpdir(), 'jiancha-kpi-'))

/** run calls `jiancha ARGS` in this process and captures what it prints. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
  try {
    return { code: await main(args), out, err }
  } finally {
    vi.restoreAllMocks()
  }
}

afterEach(() => vi.restoreAllMocks())

const parsed = (out: string) => out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, any>)
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('jiancha kpi replay', () => {
  it.each(['every-rule', 'national-day', 'petitions'])('prints exactly the contract\'s lines for %s', async (name) => {
    const r = await run('kpi', 'replay', `${examples}${name}.jsonl`, '--until', UNTIL)
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(parsed(r.out)).toEqual(parsed(readFileSync(`${examples}${name}.kpi.expected.jsonl`, 'utf8')))
    // exactly the contract's fields, in its order
    expect(Object.keys(parsed(r.out)[0]!)).toEqual(['period', 'dept', 'counts', 'indicators', 'categories', 'score', 'grade', 'rank', 'previousRank'])
  })

  it('prints the same whatever the process time zone (a child process in New York)', async () => {
    const here = await run('kpi', 'replay', `${examples}every-rule.jsonl`, '--until', UNTIL)
    const there = execFileSync('node', [`${root}bin/jiancha.js`, 'kpi', 'replay', `${examples}every-rule.jsonl`, '--until', UNTIL], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'America/New_York' },
    })
    expect(there).toBe(here.out)
  })

  it('periods by --period, in the zone of --zone', async () => {
    const q = parsed((await run('kpi', 'replay', `${examples}national-day.jsonl`, '--until', UNTIL, '--period', 'quarter')).out)
    expect(q.map((l) => `${l.period} ${l.dept} ${l.counts.workload}`)).toEqual(['2026-Q3 housing 1', '2026-Q3 market 2', '2026-Q4 housing 2', '2026-Q4 market 2'])
    const y = parsed((await run('kpi', 'replay', `${examples}national-day.jsonl`, '--until', UNTIL, '--period', 'year')).out)
    expect(y.map((l) => `${l.period} ${l.dept} ${l.counts.workload}`)).toEqual(['2026 housing 2', '2026 market 2'])
    // every-rule's A-0104 is accepted at 2026-09-30T17:00Z: October in Shanghai, September in UTC
    const utc = parsed((await run('kpi', 'replay', `${examples}every-rule.jsonl`, '--until', UNTIL, '--zone', 'UTC')).out)
    expect(utc.find((l) => l.dept === 'health' && l.period === '2026-09')?.counts['approval.accepted']).toBe(1)
  })

  it('scores by the scheme of --scheme', async () => {
    const scheme = file('cards-only.yaml', 'categories:\n  compliance:\n    indicators:\n      cards: { weight: 1, deduction: { points: { cards.red: 10 }, per: 10, of: workload } }\ngrades: [{ name: ok, min: 50 }, { name: poor, min: 0 }]\n')
    // 10 points per red card per 10 cases: market's 1 red card in 2 cases costs 50, housing's 2 cost 100
    const r = await run('kpi', 'replay', `${examples}national-day.jsonl`, '--until', UNTIL, '--scheme', scheme)
    expect(r.code).toBe(0)
    const lines = parsed(r.out)
    expect(lines.map((l) => `${l.period} ${l.dept} ${l.score} ${l.grade}`)).toEqual(['2026-09 housing 100 ok', '2026-09 market 100 ok', '2026-10 market 50 ok', '2026-10 housing 0 poor'])
    expect(lines[0]!.indicators).toEqual({ cards: 100 })
    expect(lines[0]!.categories).toEqual({ compliance: 100 })
  })

  it('reports invalid lines on stderr with their number, prints the rest and exits 1', async () => {
    const text = readFileSync(`${examples}national-day.jsonl`, 'utf8').trimEnd().split('\n')
    const path = file('bad.jsonl', [...text, '{"id":"x"}', 'not json'].join('\n'))
    const r = await run('kpi', 'replay', path, '--until', UNTIL)
    expect(r.code).toBe(1)
    expect(parsed(r.out)).toHaveLength(4)
    expect(r.err).toMatch(new RegExp(`^${path}:13: source: is required\n${path}:14: \\(line\\): not JSON`))
  })

  it('names what is wrong with its arguments', async () => {
    expect(await run('kpi', 'replay', `${examples}petitions.jsonl`)).toMatchObject({ code: 1, err: 'jiancha kpi replay: --until is required, e.g. --until 2026-12-31T00:00:00+08:00\n' })
    expect((await run('kpi', 'replay', `${examples}petitions.jsonl`, '--until', UNTIL, '--period', 'week')).err).toBe('jiancha kpi replay: --period must be month, quarter, year, got "week"\n')
    expect((await run('kpi', 'replay', join(dir, 'none.jsonl'), '--until', UNTIL)).err).toBe(`jiancha kpi replay: cannot read ${join(dir, 'none.jsonl')}: no such file\n`)
    const bad = file('bad-scheme.yaml', readFileSync(DEFAULT, 'utf8').replace('weight: 15', 'weight: -1'))
    expect(await run('kpi', 'replay', `${examples}petitions.jsonl`, '--until', UNTIL, '--scheme', bad)).toMatchObject({
      code: 1,
      err: `jiancha kpi replay: ${bad}: categories.efficiency.indicators.approval_on_time.weight: must be a number > 0, got -1\n`,
    })
    expect((await run('kpi', 'replay', '--until', UNTIL, '--perid', 'month')).code).toBe(2)
  })

  it('has help of its own, as has the group', async () => {
    const r = await run('kpi', 'replay', '--help')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^jiancha kpi replay — /)
    for (const o of ['--until', '--period', '--scheme', '--zone']) expect(r.out).toContain(o)
    const g = await run('kpi', '--help')
    expect(g.code).toBe(0)
    expect(g.out).toContain('replay FILE --until T')
    expect(g.out).toContain('scheme check FILE')
    expect((await run('--help')).out).toMatch(/^ {2}kpi +performance figures/m)
    expect(g.out).toContain('show --period P')
    // Without a subcommand it is the kpi component, which needs the shared database and bus.
    expect(await run('kpi')).toMatchObject({ code: 1, err: expect.stringContaining('running "kpi" alone needs DATABASE_URL and NATS_URL') })
    expect((await run('kpi', 'frobnicate')).err).toContain('jiancha kpi: unknown subcommand "frobnicate"')
    expect((await run('kpi', 'show')).err).toBe('jiancha kpi show: --period is required, e.g. --period 2026-11, --period 2026-Q4 or --period month\n')
    expect((await run('kpi', 'show', '--period', '2026-13')).err).toContain('bad period "2026-13"')
    expect((await run('kpi', 'show', '--period', '2026-11', '--kind', 'bureau')).err).toContain('--kind must be one of approval, enforcement')
  })
})

describe('jiancha kpi scheme check', () => {
  it('prints the version, categories and cut-offs of a valid scheme, exit 0', async () => {
    const r = await run('kpi', 'scheme', 'check', DEFAULT)
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    expect(r.out).toMatch(new RegExp(`^${DEFAULT}: valid, version sha256:[0-9a-f]{12}\n`))
    expect(r.out).toContain('  efficiency (效能) 30: approval_on_time 15, approval_early 5, enforcement_on_time 10\n')
    expect(r.out).toContain('  grades: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 ≥ 0\n')
  })

  it('gives one version for the same scheme laid out otherwise', async () => {
    const version = (out: string) => /version (\S+)/.exec(out)![1]
    const relaid = file('relaid.yaml', `# a copy\n${readFileSync(DEFAULT, 'utf8').replace(/^#.*\n/gm, '')}`)
    expect(version((await run('kpi', 'scheme', 'check', relaid)).out)).toBe(version((await run('kpi', 'scheme', 'check', DEFAULT)).out))
  })

  it('names the key at fault and exits 1; 1 for a file it cannot read; 2 without a FILE', async () => {
    const bad = file('typo.yaml', readFileSync(DEFAULT, 'utf8').replace('numerator: approval.on_time', 'numerator: approval.ontime'))
    expect(await run('kpi', 'scheme', 'check', bad)).toEqual({
      code: 1,
      out: '',
      err: `${bad}: categories.efficiency.indicators.approval_on_time.numerator: unknown count "approval.ontime"; did you mean approval.on_time?\n`,
    })
    expect(await run('kpi', 'scheme', 'check', join(dir, 'none.yaml'))).toMatchObject({ code: 1, err: `${join(dir, 'none.yaml')}: cannot read: no such file\n` })
    expect((await run('kpi', 'scheme', 'check')).code).toBe(2)
    expect((await run('kpi', 'scheme', 'check', DEFAULT, DEFAULT)).code).toBe(2)
    expect((await run('kpi', 'scheme', 'check', '--strict', DEFAULT)).code).toBe(2)
    expect((await run('kpi', 'scheme', 'check', '--help')).out).toContain('Exit code 0 when the scheme is valid')
  })
})

// ---- the worked example of docs/kpi.md: the command prints exactly the numbers of its tables ----

/** checkTables reads the tables of docs/kpi.md that follow a `<!-- check: WHAT -->` line: header and rows, cells trimmed. */
function checkTables(): Map<string, { header: string[]; rows: string[][] }> {
  const lines = readFileSync(`${root}docs/kpi.md`, 'utf8').split('\n')
  const tables = new Map<string, { header: string[]; rows: string[][] }>()
  lines.forEach((line, i) => {
    const m = /^<!-- check: (.+) -->$/.exec(line)
    if (!m) return
    const cells = (l: string) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/^`|`$/g, ''))
    const body: string[] = []
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) body.push(lines[j]!)
    tables.set(m[1]!, { header: cells(body[0]!), rows: body.slice(2).map(cells) })
  })
  return tables
}

const cell = (s: string): number | null => (s === '无数据' || s === '–' ? null : Number(s))

describe('the worked example of docs/kpi.md', () => {
  const tables = checkTables()

  it('holds the checked tables the docs show', () => {
    expect([...tables.keys()]).toEqual(['counts 2026-11', 'counts 2026-12', 'indicators 2026-11', 'categories 2026-11', 'indicators 2026-12', 'categories 2026-12', 'results month', 'results quarter'])
    const text = readFileSync(WORKED, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    // as the docs say: 116 events of 39 cases
    expect([text.length, new Set(text.map((e) => `${e.kind}:${e.caseId}`)).size]).toEqual([116, 39])
  })

  it('prints exactly the counts, indicators and categories of the tables', async () => {
    const r = await run('kpi', 'replay', WORKED, '--until', '2027-01-01T00:00:00+08:00')
    expect(r).toMatchObject({ code: 0, err: '' })
    const lines = parsed(r.out)
    for (const period of ['2026-11', '2026-12']) {
      const ofPeriod = lines.filter((l) => l.period === period)
      for (const what of ['counts', 'indicators', 'categories'] as const) {
        const { header, rows } = tables.get(`${what} ${period}`)!
        const depts = header.slice(1)
        expect(ofPeriod.map((l) => l.dept).sort()).toEqual([...depts].sort())
        const table: Record<string, Record<string, number | null>> = {}
        for (const row of rows) depts.forEach((d, k) => ((table[d] ??= {})[row[0]!] = cell(row[k + 1]!)))
        for (const l of ofPeriod) {
          const printed: Record<string, number | null> = l[what]
          // the counts tables leave out the counts that are 0 everywhere; the others list every name
          const expected = what === 'counts' ? Object.fromEntries(COUNT_NAMES.map((c) => [c, table[l.dept]![c] ?? 0])) : table[l.dept]
          expect({ [`${period} ${l.dept} ${what}`]: printed }).toEqual({ [`${period} ${l.dept} ${what}`]: expected })
        }
      }
    }
  })

  it.each([
    ['month', 'results month'],
    ['quarter', 'results quarter'],
  ])('prints exactly the scores, grades and ranks of the table, by %s', async (period, table) => {
    const r = await run('kpi', 'replay', WORKED, '--until', '2027-01-01T00:00:00+08:00', '--period', period)
    const printed = parsed(r.out).map((l) => [l.period, l.dept, l.score, l.grade, l.rank, l.previousRank])
    const expected = tables.get(table)!.rows.map(([p, d, score, grade, rank, prev]) => [p, d, cell(score!), grade, cell(rank!), cell(prev!)])
    expect(printed).toEqual(expected)
  })
})
