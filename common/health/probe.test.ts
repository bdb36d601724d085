import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db, Queryable } from '../db/index.ts'
import { openTestDbs } from '../db/testing.ts'
import { probeDb, within } from './probe.ts'

describe('within', () => {
  it('passes on what settles in time, and rejects what does not', async () => {
    expect(await within(Promise.resolve(7), 50)).toBe(7)
    await expect(within(Promise.reject(new Error('refused')), 50)).rejects.toThrow('refused')
    await expect(within(new Promise(() => {}), 20)).rejects.toThrow('no answer within 20 ms')
  })
})

describe.each(openTestDbs())('probeDb on $name', (backend) => {
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(() => db?.close())

  it('resolves when the database answers, and rejects with why when it fails or hangs', async () => {
    await probeDb(db, 2000)
    const failing: Queryable = { query: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) }
    await expect(probeDb(failing, 2000)).rejects.toThrow('ECONNREFUSED')
    const stuck: Queryable = { query: () => new Promise(() => {}) }
    await expect(probeDb(stuck, 30)).rejects.toThrow('no answer within 30 ms')
  })
})
