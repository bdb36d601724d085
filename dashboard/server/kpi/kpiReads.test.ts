import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { parsePeriod } from '../../../kpi/index.ts'
import { type KpiReadDeps, readDrillDown, readRanking, readTrend } from './kpiReads.ts'
import { ctx, FROZEN_AT, loadKpiFixture, NOW, registry, scheme, T } from './testdata/kpiFixture.ts'

const ALL = { all: true } as const
const brief = (rows: Array<{ dept: string; score: number | null; rank: number | null; previousRank: number | null; movement: string }>) =>
  rows.map((r) => [r.dept, r.score, r.rank, r.previousRank, r.movement])

describe.each(openTestDbs())('the KPI API reads ($name)', ({ open }) => {
  let db: Db
  let d: KpiReadDeps
  beforeAll(async () => {
    db = await open()
    await loadKpiFixture(db)
    d = { db, scheme, zone: ctx.zone, registry, now: () => NOW }
  })
  afterAll(() => db?.close())

  it('answers a frozen period with its official rows, names and movement, and the revisions noted since', async () => {
    const r = await readRanking(d, parsePeriod('2026-11'), null, ALL)
    expect(r).toMatchObject({ period: '2026-11', unit: 'month', status: 'official', frozenAt: FROZEN_AT, asOf: T('2026-12-01T00:00:00+08:00'), kind: null, scope: 'all', ranked: 3 })
    expect(r.scheme.version).toBe(scheme.version)
    // As frozen: market's late A-3 is not in it; the inactive "old" never was.
    expect(brief(r.rows)).toEqual([['letters', 100, 1, null, 'new'], ['tax', 100, 1, null, 'new'], ['market', 27.27, 3, 1, 'down']])
    expect(r.rows[2]).toMatchObject({ name: { 'zh-CN': '市场监管局', en: 'Market Regulation' }, kind: 'approval', places: -2, counts: { workload: 2, 'approval.completed': 2, 'cards.red': 1 } })
    expect(r.rows[2]!.indicators).toMatchObject({ approval_on_time: 50, approval_early: 50, cards: 0, enforcement_on_time: null })
    expect(r.rows[2]!.categories).toMatchObject({ efficiency: 50, compliance: 0, completion: null })
    expect(r.revisions.map((x) => [x.dept, x.before, x.after])).toEqual([['market', { score: 27.27, grade: '不合格', rank: 3 }, { score: 36.36, grade: '不合格', rank: 3 }]])
    expect(r.revisions[0]!.notedAt).toBe(T('2026-12-05T00:00:00Z'))
    expect(r.revisions[0]!.cause.map((c) => c.caseId)).toContain('A-3')
  })

  it('answers a period not yet frozen live, up to the platform clock', async () => {
    const dec = await readRanking(d, parsePeriod('2026-12'), null, ALL)
    expect(dec).toMatchObject({ status: 'live', frozenAt: null, asOf: NOW, ranked: 2, revisions: [] })
    expect(brief(dec.rows)).toEqual([['tax', 100, 1, 1, 'same'], ['market', 86.36, 2, 3, 'up']])
    const q4 = await readRanking(d, parsePeriod('2026-Q4'), null, ALL)
    expect(q4.status).toBe('live')
    // The quarter from its own counts, the late case in it.
    expect(brief(q4.rows)).toEqual([['letters', 100, 1, null, 'new'], ['tax', 100, 1, null, 'new'], ['market', 59.09, 3, null, 'new']])
    expect(q4.rows[2]!.counts).toMatchObject({ workload: 5, 'approval.on_time': 4, 'approval.early': 3, 'cards.red': 1 })
  })

  it('keeps one kind of department, ranked among itself, official and live alike', async () => {
    const nov = await readRanking(d, parsePeriod('2026-11'), 'approval', ALL)
    expect(brief(nov.rows)).toEqual([['tax', 100, 1, null, 'new'], ['market', 27.27, 2, 1, 'down']])
    expect(nov).toMatchObject({ kind: 'approval', ranked: 2 })
    expect(nov.revisions.map((x) => x.dept)).toEqual(['market'])
    expect(brief((await readRanking(d, parsePeriod('2026-Q4'), 'approval', ALL)).rows)).toEqual([['tax', 100, 1, null, 'new'], ['market', 59.09, 2, null, 'new']])
    const service = await readRanking(d, parsePeriod('2026-11'), 'service', ALL)
    expect(brief(service.rows)).toEqual([['letters', 100, 1, null, 'new']])
    expect(service.revisions).toEqual([])
  })

  it('answers a department its own row, its rank among all, and its own revisions only', async () => {
    const tax = await readRanking(d, parsePeriod('2026-11'), null, { dept: 'tax' })
    expect(tax).toMatchObject({ scope: 'own', ranked: 3, revisions: [] })
    expect(brief(tax.rows)).toEqual([['tax', 100, 1, null, 'new']])
    const market = await readRanking(d, parsePeriod('2026-11'), null, { dept: 'market' })
    expect(brief(market.rows)).toEqual([['market', 27.27, 3, 1, 'down']])
    expect(market.revisions).toHaveLength(1)
    // A department with no figures in the period: no row, the count still told.
    expect(await readRanking(d, parsePeriod('2026-12'), null, { dept: 'letters' })).toMatchObject({ rows: [], ranked: 2 })
  })

  it('gives a trend oldest first, official where frozen, 无数据 (null) where the department had nothing', async () => {
    const t = await readTrend(d, 'market', { unit: 'month', first: parsePeriod('2026-09'), last: parsePeriod('2026-12') })
    expect(t).toMatchObject({ dept: 'market', name: { 'zh-CN': '市场监管局' }, unit: 'month' })
    expect(t.points.map((p) => [p.period, p.status, p.score, p.grade, p.rank])).toEqual([
      ['2026-09', 'live', null, null, null],
      ['2026-10', 'official', 100, '优秀', 1],
      // The official 27.27, not the 36.36 the late case makes now.
      ['2026-11', 'official', 27.27, '不合格', 3],
      ['2026-12', 'live', 86.36, '良好', 2],
    ])
    expect(t.points[0]!.indicators).toMatchObject({ approval_on_time: null, cards: null })
    expect(Object.keys(t.points[0]!.indicators)).toHaveLength(11)
    expect(t.points[3]!.indicators).toMatchObject({ approval_on_time: 100, approval_early: 0 })
  })

  it('drills an indicator down to its cases, bounded with a truncated flag', async () => {
    const x = await readDrillDown(d, 'market', parsePeriod('2026-Q4'), 'approval_early', 500)
    expect(x).toMatchObject({ period: '2026-Q4', dept: 'market', name: { en: 'Market Regulation' }, indicator: 'approval_early', label: '审批提前办结率', value: 60, scheme: scheme.version })
    expect(x.parts.map((p) => [p.role, p.count, p.value, p.cases.map((c) => c.caseId), p.truncated])).toEqual([
      ['numerator', 'approval.early', 3, ['M-0', 'A-1', 'A-3'], false],
      ['denominator', 'approval.completed', 5, ['M-0', 'A-1', 'A-3', 'A-2', 'A-4'], false],
    ])
    expect(x.parts[0]!.cases[0]).toEqual({ kind: 'approval', caseId: 'M-0', count: 'approval.early', n: 1, at: T('2026-10-13T09:00:00+08:00'), rule: null })
    const cards = await readDrillDown(d, 'market', parsePeriod('2026-11'), 'cards', 1)
    expect(cards.parts.map((p) => [p.role, p.count, p.value, p.cases.map((c) => [c.caseId, c.rule]), p.truncated])).toEqual([
      ['deduction', 'cards.yellow', 0, [], false],
      ['deduction', 'cards.red', 1, [['A-2', 'approval.overdue']], false],
      ['base', 'workload', 3, [['A-1', null]], true],
    ])
  })
})
