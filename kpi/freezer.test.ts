/**
 * Frozen periods: frozen once at the end plus the grace, whoever races for it, and not
 * again after a restart (a reopened data directory); a late fact adds a revision beside
 * the frozen result, which stays as it was and refuses any change.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Db, openDb } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { systemClock } from '../common/time/index.ts'
import { defaultContext } from '../rules/index.ts'
import { addFacts, type CaseDelta } from './factStore.ts'
import { freezeDue, type FreezerOptions, revisionHook } from './freezer.ts'
import { frozenPeriods, lastFrozen, revisionsOf } from './freezeStore.ts'
import type { FactName } from './caseFacts.ts'
import { defaultScheme } from './scheme.ts'

const ctx = defaultContext()
const T = (iso: string) => Date.parse(iso)
const scheme = defaultScheme()
const fact = (count: FactName, at: string, dept: string, caseId: string, delta = 1): CaseDelta => ({ count, dept, t: T(at), delta, kind: 'approval', caseId })
/** a completed approval on time: its workload of each length, its acceptance and completion */
const onTime = (at: string, dept: string, caseId: string): CaseDelta[] =>
  (['workload.month', 'workload.quarter', 'workload.year', 'approval.accepted', 'approval.completed', 'approval.on_time'] as const).map((c) => fact(c, at, dept, caseId))
const options = (db: Db): FreezerOptions => ({ db, clock: systemClock, zone: ctx.zone, calendar: ctx.calendar, scheme: { scheme, origin: 'default' }, graceDays: 3 })
/** add stores facts as the kpi worker does: the revisions noted in the same transaction. */
const add = (db: Db, deltas: CaseDelta[], now: number) =>
  db.transaction(async (tx) => {
    await addFacts(tx, deltas, { timescale: db.timescale, zone: ctx.zone.name }, now)
    await revisionHook({ scheme, zone: ctx.zone })(tx, deltas, now)
  })
const audits = async (db: Db) => (await db.query<{ subject: string }>("SELECT subject FROM audit_log WHERE action = 'kpi.frozen' ORDER BY subject")).rows.map((r) => r.subject)

describe.each(openTestDbs())('freezing periods ($name)', ({ open }) => {
  it('freezes a period once at its end plus 3 working days, of two freezers racing one; a late fact adds a revision beside it', async () => {
    const db = await open()
    try {
      await add(db, [...onTime('2026-11-10T10:00:00+08:00', 'tax', 'A-1'), ...onTime('2026-11-11T10:00:00+08:00', 'market', 'A-2'), fact('cards.red', '2026-11-12T00:00:00+08:00', 'market', 'A-2')], T('2026-11-20T00:00:00Z'))
      // 1, 2, 3 December are the grace: nothing is due a second before 00:00 on 4 December.
      expect(await freezeDue(options(db), T('2026-12-03T23:59:59+08:00'))).toEqual([])
      const at = T('2026-12-04T00:00:00+08:00')
      const [a, b] = await Promise.all([freezeDue(options(db), at), freezeDue(options(db), at)])
      expect([...a, ...b].sort()).toEqual(['2026-11'])
      expect(await audits(db)).toEqual(['2026-11'])
      const [nov] = await frozenPeriods(db, ['2026-11'])
      expect(nov).toMatchObject({ period: '2026-11', unit: 'month', scheme: scheme.version, frozenAt: at })
      expect(nov!.rows.map((r) => [r.dept, r.score, r.rank])).toEqual([['tax', 86.36, 1], ['market', 40.91, 2]])
      expect(await lastFrozen(db, 'month')).toEqual(nov)
      expect(await lastFrozen(db, 'quarter')).toBeNull()

      // A late completion of market's, in November, after the freeze.
      const late = onTime('2026-11-20T10:00:00+08:00', 'market', 'A-3')
      await add(db, late, T('2026-12-05T00:00:00Z'))
      const [still] = await frozenPeriods(db, ['2026-11'])
      expect(still).toEqual(nov)
      const revs = await revisionsOf(db, '2026-11')
      expect(revs.map((r) => [r.dept, r.before?.score, r.after?.score, r.before?.counts['approval.completed'], r.after?.counts['approval.completed']])).toEqual([['market', 40.91, 40.91, 1, 2]])
      expect(revs[0]!.cause).toEqual(late.map((d) => ({ count: d.count, delta: 1, at: new Date(d.t).toISOString(), kind: 'approval', caseId: 'A-3', rule: null })))
      // Q4 and 2026 are not frozen yet: the late fact revises November only.
      expect((await frozenPeriods(db)).map((f) => f.period)).toEqual(['2026-11'])
      await expect(db.query("UPDATE kpi_frozen SET rows = '[]' WHERE period = '2026-11'")).rejects.toThrow(/insert-only/)
      await expect(db.query("DELETE FROM kpi_revisions")).rejects.toThrow(/insert-only/)
    } finally {
      await db.close()
    }
  })
})

describe('freezing across a restart (embedded PGlite data directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-kpi-freeze-'))
  const reopen = () => openDb({ dataDir: join(dir, 'pg'), log: () => {} })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('does not freeze again after a restart, and keeps the result and its revisions', async () => {
    let db = await reopen()
    await add(db, onTime('2026-11-10T10:00:00+08:00', 'tax', 'A-1'), T('2026-11-20T00:00:00Z'))
    expect(await freezeDue(options(db), T('2026-12-04T00:00:00+08:00'))).toEqual(['2026-11'])
    const before = await frozenPeriods(db)
    await db.close()

    db = await reopen()
    try {
      expect(await freezeDue(options(db), T('2026-12-10T00:00:00+08:00'))).toEqual([])
      expect(await frozenPeriods(db)).toEqual(before)
      expect(await audits(db)).toEqual(['2026-11'])
      await add(db, [fact('cards.red', '2026-11-30T23:59:59+08:00', 'tax', 'A-1')], T('2026-12-10T00:00:00Z'))
      expect((await revisionsOf(db, '2026-11')).map((r) => [r.dept, r.before?.counts['cards.red'], r.after?.counts['cards.red']])).toEqual([['tax', 0, 1]])
      // December freezes in its turn, with the quarter and the year, once January's grace is over.
      expect(await freezeDue(options(db), T('2027-01-07T00:00:00+08:00'))).toEqual(['2026-12', '2026-Q4', '2026'])
      expect([(await lastFrozen(db, 'month'))?.period, (await lastFrozen(db, 'quarter'))?.period, (await lastFrozen(db, 'year'))?.period]).toEqual(['2026-12', '2026-Q4', '2026'])
    } finally {
      await db.close()
    }
  })
})
