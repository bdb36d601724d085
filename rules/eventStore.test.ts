import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import {
  deptsSeen, eventsOfTypes, eventsPerMinute, insertEvents, itemsOf, knownEventIds, lastHeard, lastReceivedAt, latestEventAt, loadCase, loadCases, loadRecordedCases, openCases, registrationCases, saveStatus, saveStatuses, storeEvent, suspensionsBetween, updateStatus,
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
    expect(await knownEventIds(db, 'test', ['acc', 'nope', 'reg'])).toEqual(new Set(['acc']))
    expect(await knownEventIds(db, 'sim', ['acc', 'nope', 'reg'])).toEqual(new Set(['reg']))
    expect(await knownEventIds(db, 'test', [])).toEqual(new Set())
  })

  it('knows an event by its source and id: another source may use the same id', async () => {
    const other = { ...acc, ev: { ...acc.ev, source: 'other', caseId: 'A-2' } }
    expect(await storeEvent(db, other)).toBe(true)
    expect(await storeEvent(db, other)).toBe(false)
    expect(await knownEventIds(db, 'other', ['acc'])).toEqual(new Set(['acc']))
    expect((await loadCase(db, 'approval', 'A-2')).map((e) => e.ev.source)).toEqual(['other'])
  })

  it('stores a batch with one statement: new ones once, the first of a pair repeated inside it', async () => {
    const b1 = te('supervision', 'assigned', 'S-1', '2026-11-02T09:00:00+08:00', { title: 't', dueAt: '2026-11-09T00:00:00+08:00' }, 'b1')
    const b2 = te('supervision', 'progress', 'S-1', '2026-11-03T09:00:00+08:00', { percent: 10 }, 'b2')
    const twin = { ...b2, ev: { ...b2.ev, attrs: { percent: 99 } } }
    expect(await insertEvents(db, [b1, b2, twin, acc])).toEqual(new Set(['test/b1', 'test/b2']))
    expect((await loadCase(db, 'supervision', 'S-1')).map((e) => e.ev.attrs)).toEqual([b1.ev.attrs, { percent: 10 }])
    expect(await insertEvents(db, [b1, b2])).toEqual(new Set())
    expect(await insertEvents(db, [])).toEqual(new Set())
  })

  it('loads many cases with one query, each in contract order', async () => {
    const m = await loadCases(db, [{ kind: 'approval', caseId: 'A-1' }, { kind: 'supervision', caseId: 'S-1' }, { kind: 'approval', caseId: 'none' }, { kind: 'approval', caseId: 'A-1' }])
    expect([...m.keys()].sort()).toEqual(['approval:A-1', 'supervision:S-1'])
    expect(m.get('approval:A-1')!.map((e) => e.ev.id)).toEqual(['sus', 'acc'])
    expect(m.get('supervision:S-1')!.map((e) => e.ev.id)).toEqual(['b1', 'b2'])
    expect(await loadCases(db, [])).toEqual(new Map())
  })

  it('loads, of many cases, those with a status row, in contract order; a case without one is taken as never stored', async () => {
    expect(await loadRecordedCases(db, [{ kind: 'approval', caseId: 'A-1' }, { kind: 'supervision', caseId: 'S-1' }])).toEqual(new Map())
    await saveStatuses(db, [{ kind: 'approval', caseId: 'A-1', dept: 'd1', status: { open: true, nextDue: null }, lastAt: Date.parse('2026-11-02T09:00:00+08:00') }])
    const m = await loadRecordedCases(db, [{ kind: 'approval', caseId: 'A-1' }, { kind: 'supervision', caseId: 'S-1' }, { kind: 'approval', caseId: 'A-1' }, { kind: 'approval', caseId: 'none' }])
    expect([...m.keys()]).toEqual(['approval:A-1'])
    expect(m.get('approval:A-1')!.map((e) => e.ev.id)).toEqual(['sus', 'acc'])
    expect(await loadRecordedCases(db, [])).toEqual(new Map())
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

  it('saves many statuses with one statement each for new and known cases', async () => {
    await saveStatuses(db, [
      { kind: 'supervision', caseId: 'S-1', dept: 'd1', status: { open: true, nextDue: at('2026-11-09T00:00:00+08:00') }, lastAt: at('2026-11-03T09:00:00+08:00') },
      { kind: 'approval', caseId: 'A-1', dept: 'market', status: { open: true, nextDue: null }, lastAt: null },
      { kind: 'approval', caseId: 'never-stored', dept: 'market', status: { open: true, nextDue: null }, lastAt: null },
    ])
    const rows = (await db.query<{ case_id: string; open: boolean; next_due: Date | null; last_at: Date }>("SELECT case_id, open, next_due, last_at FROM cases WHERE case_id IN ('S-1', 'A-1', 'never-stored') ORDER BY case_id")).rows
    expect(rows).toEqual([
      { case_id: 'A-1', open: true, next_due: null, last_at: new Date(acc.t) }, // a card fired: its last event stays
      { case_id: 'S-1', open: true, next_due: new Date('2026-11-09T00:00:00+08:00'), last_at: new Date('2026-11-03T09:00:00+08:00') },
    ])
  })

  it('finds the cases of a petitioner\'s registrations inside a window of event time', async () => {
    const day = 86_400_000
    const w = (from: number, to: number, petitionerId = 'p') => [{ petitionerId, from, to }]
    expect(await registrationCases(db, w(reg.t - 30 * day, reg.t))).toEqual([{ kind: 'petition', caseId: 'P-1' }])
    expect(await registrationCases(db, w(reg.t - 30 * day, reg.t - 1))).toEqual([])
    expect(await registrationCases(db, w(reg.t, Infinity))).toEqual([{ kind: 'petition', caseId: 'P-1' }])
    expect(await registrationCases(db, w(reg.t - 30 * day, reg.t + day, 'someone else'))).toEqual([])
    expect(await registrationCases(db, [])).toEqual([])
  })

  it('tells the latest event of a source, and when each source was last heard from', async () => {
    expect(await latestEventAt(db, 'test')).toBe(at('2026-11-03T09:00:00+08:00')) // b2, the latest of the batch above
    expect(await latestEventAt(db, 'sim')).toBe(reg.t)
    expect(await latestEventAt(db, 'silent')).toBeNull()
    const heard = await lastHeard(db)
    expect(heard.map((h) => [h.source, h.dept])).toEqual([['other', 'd1'], ['sim', 'letters'], ['test', 'd1']])
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

describe.each(openTestDbs())('the wall figures of the events, on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('tells when the last event was received and how many arrived per minute, by department', async () => {
    expect(await lastReceivedAt(db)).toBeNull()
    const a = te('approval', 'accepted', 'R-1', '2026-11-02T09:00:00+08:00', { itemCode: 'M', itemName: '许可', promisedDays: 5, legalDays: 20 })
    const b = te('approval', 'accepted', 'R-2', '2026-11-02T09:00:00+08:00', { itemCode: 'M', itemName: '许可', promisedDays: 5, legalDays: 20 })
    await insertEvents(db, [a, { ...b, ev: { ...b.ev, dept: 'd2' } }])
    const last = await lastReceivedAt(db)
    expect(Math.abs((last ?? 0) - Date.now())).toBeLessThan(60_000) // received just now, by the database's clock
    expect(await lastReceivedAt(db, 'nobody')).toBeNull()
    const since = Date.now() - 5 * 60_000
    const all = await eventsPerMinute(db, since)
    expect(all.reduce((n, m) => n + m.events, 0)).toBe(2)
    expect((await eventsPerMinute(db, since, 'd2')).reduce((n, m) => n + m.events, 0)).toBe(1)
    expect(await eventsPerMinute(db, Date.now() + 60_000)).toEqual([])
  })
})

describe.each(openTestDbs())('the facts of decision support, on $name', ({ open }) => {
  let db: Db
  const t = (s: string) => Date.parse(`2026-11-${s}+08:00`)
  const A = 'approval' as const
  // D-1 completed with no decision; its accepted and completed share an instant, in that arrival order.
  const events = [
    te(A, 'submitted', 'D-1', '2026-11-02T09:00:00+08:00', { itemCode: 'FOOD' }, 'd1-sub'),
    te(A, 'accepted', 'D-1', '2026-11-03T09:00:00+08:00', { itemCode: 'OTHER', itemName: '食品', promisedDays: 5, legalDays: 20 }, 'd1-acc'),
    te(A, 'completed', 'D-1', '2026-11-03T09:00:00+08:00', {}, 'd1-done'),
    te(A, 'suspended', 'D-2', '2026-11-01T00:00:00+08:00', { reason: 'other' }, 'd2-sus'),
    te(A, 'suspended', 'D-2', '2026-11-30T23:59:59+08:00', { reason: 'other' }, 'd2-sus2'),
    te(A, 'suspended', 'D-2', '2026-12-01T00:00:00+08:00', { reason: 'other' }, 'd2-sus3'),
    te(A, 'completed', 'D-2', '2026-12-02T00:00:00+08:00', {}, 'd2-done'),
    te('petition', 'registered', 'D-3', '2026-11-02T09:00:00+08:00', { petitionerId: 'p', subject: 's' }, 'd3-reg'),
  ]
  beforeAll(async () => {
    db = await open()
    await insertEvents(db, events)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('lists the suspensions that began in [from, to)', async () => {
    expect(await suspensionsBetween(db, t('01T00:00:00'), t('30T23:59:59') + 1000)).toEqual([
      { kind: A, caseId: 'D-2', dept: 'd1', at: t('01T00:00:00') }, { kind: A, caseId: 'D-2', dept: 'd1', at: t('30T23:59:59') },
    ])
    expect(await suspensionsBetween(db, t('01T00:00:01'), t('30T23:59:59'))).toEqual([])
    // Migration 066: by instant, not a scan of every event.
    const idx = await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'events_suspended_idx'")
    expect(idx.rows.map((x) => x.indexdef.replace(/\S+\.events\b/, 'events'))).toEqual([expect.stringMatching(/ON events USING btree \(at\) WHERE \(type = 'suspended'::text\)$/)])
  })

  it('lists the cases\' events of some types in contract order, by case, with one query', async () => {
    const m = await eventsOfTypes(db, [{ kind: A, caseId: 'D-1' }, { kind: A, caseId: 'D-2' }, { kind: 'petition', caseId: 'D-1' }, { kind: A, caseId: 'D-1' }], ['accepted', 'completed'])
    const at = t('03T09:00:00')
    // d1-acc and d1-done share an instant: the one that arrived first comes first.
    expect(m).toEqual(new Map([
      ['approval:D-1', [{ id: 'd1-acc', type: 'accepted', at, seq: events[1]!.seq }, { id: 'd1-done', type: 'completed', at, seq: events[2]!.seq }]],
      ['approval:D-2', [{ id: 'd2-done', type: 'completed', at: Date.parse('2026-12-02T00:00:00+08:00'), seq: events[6]!.seq }]],
    ]))
    expect(await eventsOfTypes(db, [], ['accepted'])).toEqual(new Map())
    expect(await eventsOfTypes(db, [{ kind: A, caseId: 'D-1' }], [])).toEqual(new Map())
  })

  it('gives each case\'s item: the first code its events name, and the first name', async () => {
    const m = await itemsOf(db, [{ kind: A, caseId: 'D-1' }, { kind: A, caseId: 'D-2' }, { kind: 'petition', caseId: 'D-3' }, { kind: A, caseId: 'D-1' }])
    expect(m).toEqual(new Map([['approval:D-1', { code: 'FOOD', name: '食品' }]]))
    expect(await itemsOf(db, [])).toEqual(new Map())
  })
})
