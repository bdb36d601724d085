import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDbs } from '../common/db/testing.ts'
import type { Db } from '../common/db/index.ts'
import { DeptDirectory } from '../common/departments/index.ts'
import { defaultContext } from '../rules/index.ts'
import type { FactName } from './caseFacts.ts'
import { addFacts, type CaseDelta } from './factStore.ts'
import { parsePeriod } from './period.ts'
import { drillDown, figures, ranking, trend } from './queries.ts'
import { defaultScheme } from './scheme.ts'

const ctx = defaultContext()
const T = (iso: string) => Date.parse(iso)
const scheme = defaultScheme()
const fact = (count: FactName, at: string, dept: string, caseId: string, rule?: string): CaseDelta => ({ count, dept, t: T(at), delta: 1, kind: 'approval', caseId, ...(rule ? { rule } : {}) })
const approval = (at: string, dept: string, caseId: string, onTime: boolean): CaseDelta[] => [
  ...(['workload.month', 'workload.quarter', 'workload.year', 'approval.accepted', 'approval.completed'] as const).map((c) => fact(c, at, dept, caseId)),
  ...(onTime ? [fact('approval.on_time', at, dept, caseId)] : [fact('cards.red', at, dept, caseId, 'approval.overdue')]),
]
const registry = DeptDirectory.of([
  { code: 'tax', nameZh: '税务局', nameEn: 'Tax Bureau', kind: 'approval', parent: null, active: true, updatedAt: new Date(0) },
  { code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation', kind: 'approval', parent: null, active: true, updatedAt: new Date(0) },
  { code: 'old', nameZh: '旧局', nameEn: 'Old Office', kind: 'approval', parent: null, active: false, updatedAt: new Date(0) },
  { code: 'town', nameZh: '城关镇', nameEn: 'Chengguan Town', kind: 'service', parent: null, active: true, updatedAt: new Date(0) },
])
const read = { zone: ctx.zone, scheme, until: T('2027-01-01T00:00:00+08:00'), registry, fresh: true }

describe.each(openTestDbs())('kpi queries ($name)', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
    await db.transaction((tx) =>
      addFacts(tx, [
        // November: market 1st, tax 2nd; December: tax 1st, market 2nd. "old" is inactive, "town" another kind.
        ...approval('2026-11-05T10:00:00+08:00', 'market', 'M-1', true),
        ...approval('2026-11-06T10:00:00+08:00', 'tax', 'T-1', false),
        ...approval('2026-12-05T10:00:00+08:00', 'market', 'M-2', false),
        ...approval('2026-12-06T10:00:00+08:00', 'tax', 'T-2', true),
        ...approval('2026-12-07T10:00:00+08:00', 'old', 'O-1', true),
        ...approval('2026-12-08T10:00:00+08:00', 'town', 'W-1', true),
        ...approval('2026-12-09T10:00:00+08:00', 'nobody', 'N-1', false),
      ], { timescale: db.timescale, zone: ctx.zone.name }, T('2026-12-10T00:00:00Z')),
    )
  })
  afterAll(() => db.close())

  it('ranks the active departments with their names, the movement against the previous period and the categories', async () => {
    const rows = await ranking(db, parsePeriod('2026-12'), read)
    expect(rows.map((r) => [r.dept, r.name['zh-CN'], r.kind, r.rank, r.previousRank, r.movement, r.places])).toEqual([
      ['tax', '税务局', 'approval', 1, 2, 'up', 1],
      ['town', '城关镇', 'service', 1, null, 'new', null],
      ['market', '市场监管局', 'approval', 3, 1, 'down', -2],
      // Not in the registry: counted, under its code.
      ['nobody', 'nobody', null, 3, null, 'new', null],
    ])
    expect(rows[0]!.categories).toMatchObject({ efficiency: 75, compliance: 100 })
    expect(rows[0]!.scheme).toBe(scheme.version)
    // By kind: the ranks among the bureaus alone.
    expect((await ranking(db, parsePeriod('2026-12'), { ...read, kind: 'approval' })).map((r) => [r.dept, r.rank])).toEqual([['tax', 1], ['market', 2]])
    // Without the registry, "old" counts too.
    expect((await figures(db, { period: parsePeriod('2026-12') }, { ...read, registry: undefined })).map((r) => r.dept).sort()).toEqual(['market', 'nobody', 'old', 'tax', 'town'])
  })

  it('gives a department\'s trend, 无数据 (null) where it had nothing', async () => {
    const points = await trend(db, 'tax', parsePeriod('2026-10'), parsePeriod('2026-12'), read)
    expect(points.map((p) => [p.period, p.row?.score ?? null, p.row?.rank ?? null])).toEqual([['2026-10', null, null], ['2026-11', 0, 2], ['2026-12', 86.36, 1]])
  })

  it('drills an indicator down to the cases behind each of its counts, with the rule and the instant', async () => {
    const d = await drillDown(db, 'market', parsePeriod('2026-12'), 'cards', read)
    expect(d).toMatchObject({ period: '2026-12', dept: 'market', indicator: 'cards', value: 0, scheme: scheme.version })
    expect(d.parts.map((p) => [p.role, p.count, p.value, p.cases.map((c) => [c.caseId, c.rule, c.at])])).toEqual([
      ['deduction', 'cards.yellow', 0, []],
      ['deduction', 'cards.red', 1, [['M-2', 'approval.overdue', T('2026-12-05T10:00:00+08:00')]]],
      ['base', 'workload', 1, [['M-2', null, T('2026-12-05T10:00:00+08:00')]]],
    ])
    const q = await drillDown(db, 'tax', parsePeriod('2026-Q4'), 'approval_on_time', read)
    expect(q.parts.map((p) => [p.role, p.count, p.value, p.cases.map((c) => c.caseId)])).toEqual([['numerator', 'approval.on_time', 1, ['T-2']], ['denominator', 'approval.completed', 2, ['T-1', 'T-2']]])
    // Bounded: the first cases by instant, and the part says it is cut.
    const one = await drillDown(db, 'tax', parsePeriod('2026-Q4'), 'approval_on_time', { ...read, maxCases: 1 })
    expect(one.parts.map((p) => [p.count, p.value, p.cases.map((c) => c.caseId), p.truncated])).toEqual([['approval.on_time', 1, ['T-2'], false], ['approval.completed', 2, ['T-1'], true]])
    expect(q.parts.every((p) => !p.truncated)).toBe(true)
    await expect(drillDown(db, 'tax', parsePeriod('2026-12'), 'speed', read)).rejects.toThrow(/unknown indicator "speed"/)
  })

  it('gives the same ranking and drill-down summed straight from the facts, without the rollups', async () => {
    for (const p of ['2026-12', '2026-Q4']) expect(await ranking(db, parsePeriod(p), { ...read, source: 'facts' })).toEqual(await ranking(db, parsePeriod(p), read))
    expect(await drillDown(db, 'market', parsePeriod('2026-12'), 'cards', { ...read, source: 'facts' })).toEqual(await drillDown(db, 'market', parsePeriod('2026-12'), 'cards', read))
  })
})
