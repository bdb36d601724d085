import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alertKey, type Alert, type Level } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { dailyCards } from './dailyCards.ts'
import { saveAlert } from './store.ts'

const card = (caseId: string, level: Level, at: string, dept: string): Alert => ({
  key: alertKey('approval.overdue', level, 'approval', caseId), rule: 'approval.overdue', level, kind: 'approval', caseId, dept, at, causes: [], settingsVersion: 'v1',
})
// The test databases are built in Asia/Shanghai; the day is read in the same zone.
const dayOf = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10)

describe.each(openTestDbs())('the daily cards on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
    await saveAlert(db, card('A-1', 'yellow', '2026-03-01T23:30:00+08:00', 'health'), 0)
    await saveAlert(db, card('A-2', 'red', '2026-03-02T00:30:00+08:00', 'health'), 0)
    await saveAlert(db, card('A-3', 'yellow', '2026-03-02T09:00:00+08:00', 'health'), 0)
    await saveAlert(db, card('E-1', 'red', '2026-03-02T10:00:00+08:00', 'env'), 0)
    await saveAlert(db, card('A-0', 'red', '2026-01-02T10:00:00+08:00', 'health'), 0)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('counts cards per platform-zone day and department, both levels in one row, from `since` on', async () => {
    const since = Date.parse('2026-02-01T00:00:00+08:00')
    expect(await dailyCards(db, since, dayOf, 100)).toEqual([
      { day: '2026-03-01', dept: 'health', yellow: 1, red: 0 },
      { day: '2026-03-02', dept: 'env', yellow: 0, red: 1 },
      { day: '2026-03-02', dept: 'health', yellow: 1, red: 1 },
    ])
    expect(await dailyCards(db, since, dayOf, 100, 'env')).toEqual([{ day: '2026-03-02', dept: 'env', yellow: 0, red: 1 }])
  })

  it('keeps the newest rows when bounded', async () => {
    expect((await dailyCards(db, 0, dayOf, 2)).map((r) => `${r.day}/${r.dept}`)).toEqual(['2026-03-02/env', '2026-03-02/health'])
  })
})
