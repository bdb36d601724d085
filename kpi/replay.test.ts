import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import { defaultContext } from '../rules/index.ts'
import { COUNT_NAMES, type Counts } from './countNames.ts'
import { parsePeriod, periodLabel, type PeriodUnit } from './period.ts'
import { formatKpiLine, kpiReplayLines } from './replay.ts'
import type { KpiRow } from './report.ts'
import { accepted, caseArb, GEN_START, caseEvent, linesOf, shuffle } from './testing.ts'

const ctx = defaultContext()
const examples = new URL('../common/contract/examples/', import.meta.url)
const UNTIL = Date.parse('2026-12-31T00:00:00+08:00')
const names = readdirSync(examples).filter((f) => f.endsWith('.kpi.expected.jsonl')).map((f) => f.replace('.kpi.expected.jsonl', ''))
const lines = (name: string) => readFileSync(new URL(`${name}.jsonl`, examples), 'utf8').split('\n')
const replayRows = (text: string[], unit: PeriodUnit = 'month', until = UNTIL) => kpiReplayLines(text, { until, unit, ctx }).rows

describe('kpi replay on the contract examples', () => {
  it('covers every example', () => expect(names.sort()).toEqual(['every-rule', 'national-day', 'petitions']))

  it.each(names)('prints the expected figures by month for %s', (name) => {
    const expected = readFileSync(new URL(`${name}.kpi.expected.jsonl`, examples), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
    const { rows, errors } = kpiReplayLines(lines(name), { until: UNTIL, ctx })
    expect(errors).toEqual([])
    // numbers, not spellings: 100.0 and 100 are one number
    expect(rows.map((r) => JSON.parse(formatKpiLine(r)))).toEqual(expected)
  })

  it.each(names)('gives %s by quarter the sums of its months, and by year the sums of its quarters (workload: distinct cases)', (name) => {
    const text = lines(name)
    const months = replayRows(text, 'month')
    const quarters = replayRows(text, 'quarter')
    const years = replayRows(text, 'year')
    expect(quarters.length).toBeGreaterThan(0)
    expectSums(months, quarters, 'quarter')
    expectSums(quarters, years, 'year')
  })

  it('counts a case in one month\'s workload each, and once in the quarter and the year', () => {
    // national-day: market's A-0001 and A-0002 have events in September and October
    const pick = (rows: KpiRow[], period: string) => rows.find((r) => r.period === period && r.dept === 'market')!.counts.workload
    const text = lines('national-day')
    expect([pick(replayRows(text), '2026-09'), pick(replayRows(text), '2026-10')]).toEqual([2, 2])
    expect([pick(replayRows(text, 'quarter'), '2026-Q3'), pick(replayRows(text, 'quarter'), '2026-Q4'), pick(replayRows(text, 'year'), '2026')]).toEqual([2, 2, 2])
  })
})

/** expectSums checks that each longer period's counts are its shorter periods' added up, but workload, which counts distinct cases. */
function expectSums(short: KpiRow[], long: KpiRow[], unit: PeriodUnit): void {
  const sums = new Map<string, { sum: Counts; max: number }>()
  for (const r of short) {
    const p = parsePeriod(r.period)
    const months = { month: 1, quarter: 3, year: 12 }[p.unit]
    const longN = Math.floor((p.n * months) / { month: 1, quarter: 3, year: 12 }[unit])
    const key = `${periodLabel({ unit, n: longN })} ${r.dept}`
    const s = sums.get(key)
    if (!s) {
      sums.set(key, { sum: { ...r.counts }, max: r.counts.workload })
      continue
    }
    for (const c of COUNT_NAMES) s.sum[c] += r.counts[c]
    s.max = Math.max(s.max, r.counts.workload)
  }
  expect(long.map((r) => `${r.period} ${r.dept}`).sort()).toEqual([...sums.keys()].sort())
  for (const r of long) {
    const { sum, max } = sums.get(`${r.period} ${r.dept}`)!
    const { workload, ...rest } = r.counts
    const { workload: summed, ...restSum } = sum
    expect(rest).toEqual(restSum)
    expect(workload).toBeGreaterThanOrEqual(max)
    expect(workload).toBeLessThanOrEqual(summed)
  }
}

describe('kpi replay at the boundaries', () => {
  const at = (id: string, e: CaseEvent) => JSON.stringify({ ...e, id })

  it('counts a completion at the due instant as late, with its red card, and one a second before as on time', () => {
    // Monday 2 November 2026, 2 working days: due at 11-05 00:00
    const text = [
      at('a1', accepted('A-1', '2026-11-02T10:00:00+08:00', 2)),
      at('a2', caseEvent('approval', 'decided', 'A-1', '2026-11-03T10:00:00+08:00', { decision: 'approve' })),
      at('a3', caseEvent('approval', 'completed', 'A-1', '2026-11-05T00:00:00+08:00')),
      at('b1', accepted('A-2', '2026-11-02T10:00:00+08:00', 2, { dept: 'tax' })),
      at('b2', caseEvent('approval', 'decided', 'A-2', '2026-11-03T10:00:00+08:00', { decision: 'approve' }, { dept: 'tax' })),
      at('b3', caseEvent('approval', 'completed', 'A-2', '2026-11-04T23:59:59+08:00', undefined, { dept: 'tax' })),
    ]
    const rows = replayRows(text)
    const late = rows.find((r) => r.dept === 'market')!
    const inTime = rows.find((r) => r.dept === 'tax')!
    expect(late.counts).toMatchObject({ 'approval.completed': 1, 'approval.on_time': 0, 'cards.yellow': 1, 'cards.red': 1 })
    expect(inTime.counts).toMatchObject({ 'approval.completed': 1, 'approval.on_time': 1, 'cards.yellow': 1, 'cards.red': 0 })
    expect(late.indicators.approval_on_time).toBe(0)
    expect(inTime.indicators.approval_on_time).toBe(100)
    expect(rows.map((r) => `${r.dept} ${r.rank}`)).toEqual(['tax 1', 'market 2'])
  })

  it('leaves out what happens at or after --until, and ends with the period holding it', () => {
    const text = [at('a1', accepted('A-1', '2026-11-02T10:00:00+08:00', 2)), at('a2', caseEvent('approval', 'evaluated', 'A-1', '2026-12-01T00:00:00+08:00', { score: 1 }))]
    const rows = replayRows(text, 'month', Date.parse('2026-12-01T00:00:00+08:00'))
    expect(rows.map((r) => r.period)).toEqual(['2026-11'])
    // the red card at 11-05 00:00 counts; the rating at --until does not
    expect(rows[0]!.counts).toMatchObject({ 'cards.red': 1, 'approval.evaluated': 0 })
  })

  it('reports bad lines as jiancha replay does and counts the good ones', () => {
    const text = lines('national-day')
    const r = kpiReplayLines([...text, '{"id":"x"}', 'not json'], { until: UNTIL, ctx })
    expect(r.rows).toHaveLength(4)
    expect(r.errors).toEqual([{ line: text.length + 1, field: 'source', message: 'is required' }, expect.objectContaining({ line: text.length + 2, field: '(line)' })])
  })
})

// ---- property tests: random valid event sets of the contract's shapes ----

describe('kpi replay on random valid events', () => {
  const setArb = fc.array(caseArb, { minLength: 1, maxLength: 12 })
  const untilArb = fc.integer({ min: 30, max: 260 }).map((d) => GEN_START + d * 24 * 3_600_000)

  it('gives by quarter the sums of the months\' counts, and by year the sums of the quarters\'', () => {
    fc.assert(
      fc.property(setArb, untilArb, (cases, until) => {
        const text = linesOf(cases)
        const months = replayRows(text, 'month', until)
        expectSums(months, replayRows(text, 'quarter', until), 'quarter')
        expectSums(months, replayRows(text, 'year', until), 'year')
      }),
      { numRuns: 150 },
    )
  })

  it('prints the same lines whatever the order of the input lines', () => {
    fc.assert(
      fc.property(setArb, untilArb, fc.nat(), (cases, until, seed) => {
        const text = linesOf(cases)
        const print = (t: string[]) => replayRows(t, 'month', until).map(formatKpiLine)
        expect(print(shuffle(text, seed))).toEqual(print(text))
      }),
      { numRuns: 150 },
    )
  })
})
