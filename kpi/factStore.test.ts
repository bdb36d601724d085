import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDbs } from '../common/db/testing.ts'
import type { Db } from '../common/db/index.ts'
import { Zone } from '../common/time/index.ts'
import type { FactName } from './caseFacts.ts'
import { emptyCase } from './caseState.ts'
import { addFacts, type CaseDelta, caseContributions, earliestFact, loadCases, rebuildRollups, refreshRollups, saveCases, sumFacts, sumFactsDirect } from './factStore.ts'
import { parsePeriod, periodStart } from './period.ts'

const zone = Zone.of('Asia/Shanghai')
const T = (iso: string) => Date.parse(iso)
const fact = (count: FactName, at: string, delta = 1, dept = 'tax', caseId = 'A-1', rule?: string): CaseDelta => ({ count, dept, t: T(at), delta, kind: 'approval', caseId, ...(rule ? { rule } : {}) })
const NOV = periodStart(parsePeriod('2026-11'), zone)

describe.each(openTestDbs())('kpi fact store ($name)', ({ open }) => {
  let db: Db
  const mode = () => ({ timescale: db.timescale, zone: zone.name })
  const sums = async (until: string, unit: 'month' | 'quarter' = 'month') => {
    await refreshRollups(db, NOV, T(until), zone)
    const rows = await sumFacts(db, { from: NOV, until: T(until), unit, zone })
    const out: Record<string, number> = {}
    for (const r of rows) out[r.count] = (out[r.count] ?? 0) + r.n
    return out
  }
  beforeAll(async () => {
    db = await open()
    await db.transaction(async (tx) => {
      await addFacts(tx, [
        // 23:59:59 local on 30 November is November's; 00:00:00 on 1 December is December's.
        fact('approval.completed', '2026-11-30T23:59:59+08:00'),
        fact('approval.completed', '2026-12-01T00:00:00+08:00'),
        fact('workload.month', '2026-11-02T09:00:00+08:00'),
        fact('workload.quarter', '2026-11-02T09:00:00+08:00'),
        fact('cards.red', '2026-12-10T10:00:00+08:00', 1, 'tax', 'A-2', 'approval.overdue'),
        fact('cards.red', '2026-12-10T15:00:00+08:00', 1, 'tax', 'A-3', 'approval.overdue'),
      ], mode(), T('2026-12-11T00:00:00Z'))
    })
  })
  afterAll(() => db.close())

  it('sums months, the days of the month in progress and the facts of its day in progress: exact at any instant', async () => {
    expect(await sums('2026-12-01T00:00:00+08:00')).toEqual({ 'approval.completed': 1, 'workload.month': 1 })
    expect(await sums('2026-12-10T12:00:00+08:00')).toEqual({ 'approval.completed': 2, 'workload.month': 1, 'cards.red': 1 })
    expect(await sums('2027-01-01T00:00:00+08:00')).toEqual({ 'approval.completed': 2, 'workload.month': 1, 'cards.red': 2 })
    // Workload of another period length is not read.
    expect(await sums('2027-01-01T00:00:00+08:00', 'quarter')).toEqual({ 'approval.completed': 2, 'workload.quarter': 1, 'cards.red': 2 })
  })

  it('takes a unit back with a −1 behind what was rolled up, in every rollup', async () => {
    await sums('2027-01-01T00:00:00+08:00')
    await db.transaction((tx) => addFacts(tx, [fact('cards.red', '2026-12-10T15:00:00+08:00', -1, 'tax', 'A-3', 'approval.overdue'), fact('approval.completed', '2026-11-15T10:00:00+08:00')], mode(), T('2026-12-12T00:00:00Z')))
    expect(await sums('2027-01-01T00:00:00+08:00')).toEqual({ 'approval.completed': 3, 'workload.month': 1, 'cards.red': 1 })
    expect(await earliestFact(db, T('2027-01-01T00:00:00Z'))).toBe(T('2026-11-02T09:00:00+08:00'))
  })

  it('lists the cases behind a count, with the rule and the instant, the units taken back left out', async () => {
    const rows = await caseContributions(db, { dept: 'tax', counts: ['cards.red'], from: T('2026-12-01T00:00:00+08:00'), until: T('2027-01-01T00:00:00+08:00') })
    expect(rows).toEqual([{ kind: 'approval', caseId: 'A-2', count: 'cards.red', n: 1, at: T('2026-12-10T10:00:00+08:00'), rule: 'approval.overdue' }])
  })

  it('keeps each case\'s state and facts, read back locked', async () => {
    const state = emptyCase()
    await db.transaction((tx) => saveCases(tx, [{ kind: 'approval', caseId: 'A-9', state, facts: [{ count: 'approval.accepted', dept: 'tax', t: 1 }] }], 5))
    const back = await db.transaction((tx) => loadCases(tx, [{ kind: 'approval', caseId: 'A-9' }, { kind: 'petition', caseId: 'A-9' }]))
    expect([...back.values()]).toEqual([{ kind: 'approval', caseId: 'A-9', state, facts: [{ count: 'approval.accepted', dept: 'tax', t: 1 }] }])
  })

  it('sums the same straight from the facts, and rebuilds the rollups from facts loaded beside addFacts', async () => {
    const until = T('2027-01-01T00:00:00+08:00')
    const total = (rows: ReadonlyArray<{ count: string; n: number }>) => {
      const out: Record<string, number> = {}
      for (const r of rows) out[r.count] = (out[r.count] ?? 0) + r.n
      return out
    }
    await refreshRollups(db, NOV, until, zone)
    expect(total(await sumFactsDirect(db, { from: NOV, until, unit: 'month', zone }))).toEqual(total(await sumFacts(db, { from: NOV, until, unit: 'month', zone })))
    // A fact written straight into kpi_facts (a bulk load) reaches the rollups once rebuilt.
    await db.query(`INSERT INTO kpi_facts (at, dept, count, delta, kind, case_id, rule, recorded_at) VALUES ($1, 'tax', 'approval.completed', 1, 'approval', 'A-8', NULL, now())`, [new Date(T('2026-11-20T10:00:00+08:00'))])
    await rebuildRollups(db, zone)
    const rolled = total(await sumFacts(db, { from: NOV, until, unit: 'month', zone }))
    expect(rolled['approval.completed']).toBe(4)
    expect(rolled).toEqual(total(await sumFactsDirect(db, { from: NOV, until, unit: 'month', zone })))
  })

  it('sums per period in the database: one row per period, department and count, at the period\'s start', async () => {
    const until = T('2026-12-10T12:00:00+08:00')
    await refreshRollups(db, NOV, until, zone)
    // November from the months, 1–9 December from the days, the 10th's morning from the facts: one row each.
    const rows = await sumFacts(db, { from: NOV, until, unit: 'quarter', zone })
    expect(new Set(rows.map((r) => r.t))).toEqual(new Set([periodStart(parsePeriod('2026-Q4'), zone)]))
    expect(rows.length).toBe(new Set(rows.map((r) => r.count)).size)
    expect(rows.find((r) => r.count === 'approval.completed')?.n).toBeGreaterThan(1)
  })
})
