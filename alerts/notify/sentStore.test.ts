import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { markNotified, notifiedKeys, pruneNotified } from './sentStore.ts'

describe.each(openTestDbs())('sent store on $name', (backend) => {
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('remembers the keys a message covered and answers which were notified', async () => {
    await markNotified(db, ['a', 'thread:x:red', 'a'], 'digest:market:1', 1_000)
    expect(await notifiedKeys(db, ['a', 'b', 'thread:x:red'])).toEqual(new Set(['a', 'thread:x:red']))
    expect(await notifiedKeys(db, [])).toEqual(new Set())
  })

  it('keeps the first ref of a key notified twice', async () => {
    await markNotified(db, ['a'], 'other', 2_000)
    const r = await db.query<{ ref: string }>("SELECT ref FROM notify_sent WHERE key = 'a'")
    expect(r.rows).toEqual([{ ref: 'digest:market:1' }])
  })

  it('forgets keys notified before an instant', async () => {
    await markNotified(db, ['late'], 'r', 5_000)
    expect(await pruneNotified(db, 3_000)).toBe(2)
    expect(await notifiedKeys(db, ['a', 'late'])).toEqual(new Set(['late']))
  })
})
