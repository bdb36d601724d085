import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import {
  deptsSeen, knownEventIds, lastHeard, latestEventAt, loadCase, openCases, recentRegistrations, saveStatus, storeEvent, updateStatus,
} from './eventStore.ts'
import { te } from './testEvents.ts'

const at = (s: string) => Date.parse(s)

describe.each(openTestDbs())('the event store on $name', (backend) => {
  let db: Db
  const acc = te('approval', 'accepted', 'A-1', '2026-11-02T09:00:00+08:00', { itemCode: 'M', itemName: '许可', promisedDays: 5, legalDays: 20 }, 'acc')
  const sus = te('approval', 'suspended', 'A-1', '2026-11-01T09:00:00+08:00', { reason: 'correction' }, 'sus')
  const registered = te('petition', 'registered', 'P-1', '2026-11-20T09:00:00+08:00', { petitionerId: 'p', subject: 's' }, 'reg')
  const reg = { ...registered, ev: { ...registered.ev, source: 'sim', dept: 'letters' } }

  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('stores an event once, however often it comes', async () => {
    expect(await storeEvent(db, acc)).toBe(true)
    expect(await storeEvent(db, { ...acc, seq: acc.seq + 100 })).toBe(false)
    expect(await storeEvent(db, sus)).toBe(true)
    expect(await storeEvent(db, reg)).toBe(true)
    expect(await knownEventIds(db, ['acc', 'nope', 'reg'])).toEqual(new Set(['acc', 'reg']))
    expect(await knownEventIds(db, [])).toEqual(new Set())
  })

  it('loads a case in contract order: by at, then arrival', async () => {
    expect((await loadCase(db, 'approval', 'A-1')).map((e) => e.ev.id)).toEqual(['sus', 'acc'])
    expect(await loadCase(db, 'approval', 'nothing')).toEqual([])
  })

  it('keeps each case\'s status, and lists the open ones by next deadline', async () => {
    await saveStatus(db, 'approval', 'A-1', 'market', { open: true, nextDue: at('2026-11-09T00:00:00+08:00') }, acc.t)
    await saveStatus(db, 'petition', 'P-1', 'letters', { open: true, nextDue: at('2026-11-05T00:00:00+08:00') }, reg.t)
    expect(await openCases(db)).toEqual([{ kind: 'petition', caseId: 'P-1' }, { kind: 'approval', caseId: 'A-1' }])
    await updateStatus(db, 'petition', 'P-1', { open: false, nextDue: null })
    expect(await openCases(db)).toEqual([{ kind: 'approval', caseId: 'A-1' }])
    const row = (await db.query<{ open: boolean; next_due: Date | null }>("SELECT open, next_due FROM cases WHERE case_id = 'P-1'")).rows[0]
    expect(row).toEqual({ open: false, next_due: null })
  })

  it('lists the petitions registered since an instant', async () => {
    expect(await recentRegistrations(db, at('2026-11-19T00:00:00+08:00'))).toEqual([{ kind: 'petition', caseId: 'P-1' }])
    expect(await recentRegistrations(db, at('2026-11-21T00:00:00+08:00'))).toEqual([])
  })

  it('tells the latest event of a source, and when each source was last heard from', async () => {
    expect(await latestEventAt(db, 'test')).toBe(acc.t)
    expect(await latestEventAt(db, 'sim')).toBe(reg.t)
    expect(await latestEventAt(db, 'silent')).toBeNull()
    const heard = await lastHeard(db)
    expect(heard.map((h) => [h.source, h.dept])).toEqual([['sim', 'letters'], ['test', 'd1']])
    for (const h of heard) expect(Math.abs(h.receivedAt - Date.now())).toBeLessThan(60_000) // received just now, by the database's clock
  })
})

describe.each(openTestDbs())('the departments the cases carry, on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('lists the departments of the cases with the newest event of each', async () => {
    expect(await deptsSeen(db)).toEqual([])
    const t = Date.parse('2026-11-24T01:00:00Z')
    await saveStatus(db, 'approval', 'A-1', 'market', { open: true, nextDue: null }, t)
    await saveStatus(db, 'approval', 'A-2', 'market', { open: false, nextDue: null }, t + 5_000)
    await saveStatus(db, 'petition', 'P-1', 'water', { open: true, nextDue: t + 86_400_000 }, t - 60_000)
    // A later event of the same case moves it on; an older one does not move it back.
    await saveStatus(db, 'petition', 'P-1', 'water', { open: true, nextDue: null }, t - 120_000)
    expect(await deptsSeen(db)).toEqual([
      { dept: 'market', lastAt: t + 5_000 },
      { dept: 'water', lastAt: t - 60_000 },
    ])
  })
})
