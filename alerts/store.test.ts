import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alertKey, type Alert, type Level } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { alertByKey, alertsByKeys, cardsBetween, cursorOf, isStanding, listAlerts, openCardsSince, parseCursor, recentAlerts, saveAlert, standingLevels, withdrawAlert } from './store.ts'

const T = Date.parse('2026-03-02T02:00:00Z')
const iso = (t: number) => new Date(t).toISOString()
const card = (caseId: string, level: Level, at: number, dept = 'health'): Alert => ({
  key: alertKey('petition.overdue', level, 'petition', caseId), rule: 'petition.overdue', level, kind: 'petition', caseId, dept, at: iso(at), causes: [], settingsVersion: 'v1',
})

describe.each(openTestDbs())('the alert store on $name', ({ open }) => {
  let db: Db
  const a = card('P-1', 'red', T)
  const b = card('P-2', 'yellow', T)
  const c = card('P-3', 'red', T + 60_000, 'transport')
  const gone = card('P-4', 'red', T + 120_000)
  const old = card('P-5', 'red', T - 86_400_000)
  beforeAll(async () => {
    db = await open()
    for (const x of [a, b, c, gone]) await saveAlert(db, x, T + 3_600_000)
    await saveAlert(db, old, T - 86_400_000)
    await withdrawAlert(db, gone, 'e9', T + 3_600_000)
  })
  afterAll(() => db?.close())

  it('tells which cards stand, and at which level', async () => {
    expect(await isStanding(db, a.key)).toBe(true)
    expect(await isStanding(db, gone.key)).toBe(false)
    expect(await isStanding(db, 'nope')).toBe(false)
    expect((await standingLevels(db, [a.key, b.key, gone.key, 'nope'])).sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: a.key, level: 'red' }, { key: b.key, level: 'yellow' },
    ])
    expect(await standingLevels(db, [])).toEqual([])
  })

  it('lists the recent cards by when they were raised: one raised late for an older event leads', async () => {
    const late = card('P-6', 'yellow', T - 7 * 86_400_000, 'transport')
    await saveAlert(db, late, T + 7_200_000)
    try {
      // a, b and c were raised together, before it; the key breaks their tie.
      const recent = await recentAlerts(db, 2, iso)
      expect(recent.map((x) => x.key)).toEqual([late.key, a.key])
      expect(recent[0]!.raisedAt).toBe(iso(T + 7_200_000))
      expect((await recentAlerts(db, 10, iso, 'transport')).map((x) => x.key)).toEqual([late.key, c.key])
    } finally {
      await db.query('DELETE FROM alerts WHERE key = $1', [late.key])
      await db.query('DELETE FROM alert_events WHERE alert_key = $1', [late.key])
    }
  })

  it('pages the open cards raised since an instant, oldest first, as the stream carried them', async () => {
    const since = T
    const first = await openCardsSince(db, since, 2)
    // a and b share an instant: the key breaks the tie (red before yellow)
    expect(first.map((x) => x.key)).toEqual([a.key, b.key])
    expect(first[0]).toEqual(a)
    const rest = await openCardsSince(db, since, 2, first.at(-1))
    expect(rest.map((x) => x.key)).toEqual([c.key])
    expect(await openCardsSince(db, since, 2, rest.at(-1))).toEqual([])
    // raised before `since`, or withdrawn: not there
    expect((await openCardsSince(db, T - 2 * 86_400_000, 10)).map((x) => x.key)).toContain(old.key)
  })

  it('lists a scope\'s cards newest first, continuing from a cursor', async () => {
    const fmt = iso
    const page = await listAlerts(db, { dept: 'health' }, { limit: 1 }, fmt)
    expect(page.alerts.map((x) => x.key)).toEqual([b.key])
    const next = parseCursor(page.next!)!
    expect((await listAlerts(db, { dept: 'health' }, { limit: 5, before: next }, fmt)).alerts.map((x) => x.key)).toEqual([a.key, old.key])
    expect((await listAlerts(db, { all: true }, { limit: 10, status: 'withdrawn' }, fmt)).alerts.map((x) => x.key)).toEqual([gone.key])
    expect(parseCursor(cursorOf(new Date(T), 'k:1'))).toEqual({ at: new Date(T), key: 'k:1' })
    expect(parseCursor('2026-03-02T10:00:00+08:00')).toEqual({ at: new Date(T) })
    expect(parseCursor('yesterday')).toBeNull()
  })

  it('reads many cards by key with one query, as alertByKey reads one', async () => {
    const got = await alertsByKeys(db, [a.key, gone.key, 'nope'], iso)
    expect([...got.keys()].sort()).toEqual([a.key, gone.key].sort())
    expect(got.get(a.key)).toEqual(await alertByKey(db, a.key, iso))
    expect(got.get(gone.key)!.status).toBe('withdrawn')
    expect(await alertsByKeys(db, [], iso)).toEqual(new Map())
  })


  // Last: its platform card would show in the lists above.
  it('lists the standing cards of cases that fired in [from, to), oldest first: no withdrawn card, no platform card', async () => {
    const silent: Alert = { key: 'source.silent:red:-:hall', rule: 'source.silent', level: 'red', kind: null, caseId: 'hall', dept: 'health', at: iso(T + 30_000), causes: [], settingsVersion: 'v1' }
    await saveAlert(db, silent, T + 3_600_000)
    const got = await cardsBetween(db, T, T + 3_600_000)
    expect(got.map((x) => [x.caseId, x.level, x.at])).toEqual([['P-1', 'red', T], ['P-2', 'yellow', T], ['P-3', 'red', T + 60_000]])
    expect(got[2]).toEqual({ kind: 'petition', caseId: 'P-3', dept: 'transport', rule: 'petition.overdue', level: 'red', at: T + 60_000, causes: [] })
    expect((await cardsBetween(db, T - 86_400_000, T)).map((x) => x.caseId)).toEqual(['P-5'])
    expect(await cardsBetween(db, T + 1, T + 60_000)).toEqual([])
  })
})
