import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { loadCase } from './eventStore.ts'
import { refusedForData, storeBatch } from './storeBatch.ts'
import { te } from './testEvents.ts'

const progress = (n: number, note = 'ok') => te('supervision', 'progress', 'S-1', `2026-11-02T09:${String(n).padStart(2, '0')}:00+08:00`, { percent: n, note }, `p${n}`)

describe.each(openTestDbs())('storeBatch on $name', (backend) => {
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('stores a whole batch and tells the new events from those stored before', async () => {
    const batch = [progress(1), progress(2)]
    expect(await storeBatch(db, batch)).toEqual({ fresh: new Set(['test/p1', 'test/p2']), refused: new Map() })
    expect(await storeBatch(db, [...batch, progress(3)])).toEqual({ fresh: new Set(['test/p3']), refused: new Map() })
  })

  it('leaves out the rows the database refuses, with its reason, and commits the others', async () => {
    // \u0000 cannot be stored in jsonb: the contract forbids it now, but anything the database refuses goes this way.
    const batch = [progress(10), progress(11, 'bad\u0000'), progress(12), progress(13), progress(14, '\u0000'), progress(15)]
    const out = await storeBatch(db, batch)
    expect([...out.refused.keys()]).toEqual([1, 4])
    expect(out.refused.get(1)!.message).toMatch(/unicode|\\u0000/i)
    expect(out.fresh).toEqual(new Set(['test/p10', 'test/p12', 'test/p13', 'test/p15']))
    expect((await loadCase(db, 'supervision', 'S-1')).map((e) => e.ev.id)).toEqual(['p1', 'p2', 'p3', 'p10', 'p12', 'p13', 'p15'])
  })

  it('fails the whole batch for trouble that is not about its rows', async () => {
    expect(refusedForData({ code: '22P05' })).toBe(true)
    expect(refusedForData({ code: '08006' })).toBe(false)
    expect(refusedForData(new Error('ECONNRESET'))).toBe(false)
    const closed = await backend.open()
    await closed.close()
    await expect(storeBatch(closed, [progress(20)])).rejects.toThrow()
  })
})
