import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { deptsSeen, saveStatus } from './eventStore.ts'

describe.each(openTestDbs())('the event store on $name', ({ open }) => {
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
