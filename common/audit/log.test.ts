import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../db/index.ts'
import { openTestDbs } from '../db/testing.ts'
import { GENESIS, hashEntry } from './chain.ts'
import { appendAudit, appendAudits } from './log.ts'
import { appendAll, resetAudit, SAMPLE } from './testing.ts'
import { verifyAudit } from './verify.ts'

interface Row {
  seq: number
  at: Date
  actor: string
  action: string
  subject: string
  detail: Record<string, unknown>
  prev_hash: string
  hash: string
}

describe.each(openTestDbs())('appendAudit on $name', (backend) => {
  let db: Db
  const rows = async () => (await db.query<Row>('SELECT * FROM audit_log ORDER BY seq')).rows
  const head = async () => (await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head')).rows

  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    await resetAudit(db)
  })

  it('chains each row to the one before, starting from GENESIS, and moves the head', async () => {
    const hashes = await appendAll(db)
    const r = await rows()
    expect(r.map((x) => x.seq)).toEqual(SAMPLE.map((_, i) => i + 1))
    expect(r.map((x) => x.prev_hash)).toEqual([GENESIS, ...hashes.slice(0, -1)])
    expect(r.map((x) => x.hash)).toEqual(hashes)
    expect(await head()).toEqual([{ seq: SAMPLE.length, hash: hashes.at(-1) }])
  })

  it('stores the entry as given, and its hash holds over the row as it reads back', async () => {
    await appendAll(db, SAMPLE.slice(0, 5))
    const r = await rows()
    expect(r[1]).toMatchObject({ at: new Date(SAMPLE[1]!.at), actor: '张三', action: 'alert.acknowledged', detail: SAMPLE[1]!.detail })
    expect(r[4]!.detail).toEqual({})
    for (const x of r) expect(hashEntry(x.prev_hash, { ...x, seq: Number(x.seq) })).toBe(x.hash)
  })

  it('commits with the caller’s transaction and vanishes with its rollback', async () => {
    await appendAll(db, SAMPLE.slice(0, 1))
    await expect(
      db.transaction(async (tx) => {
        await appendAudit(tx, SAMPLE[1]!)
        throw new Error('change failed')
      }),
    ).rejects.toThrow('change failed')
    expect((await rows()).length).toBe(1)
    expect((await head())[0]!.seq).toBe(1)
    await appendAll(db, SAMPLE.slice(1, 2))
    expect((await verifyAudit(db)).ok).toBe(true)
  })

  it('refuses UPDATE, DELETE and TRUNCATE of the log while the triggers are on', async () => {
    await appendAll(db, SAMPLE.slice(0, 2))
    await expect(db.query(`UPDATE audit_log SET detail = '{"x":1}' WHERE seq = 1`)).rejects.toThrow(/append-only: UPDATE refused/)
    await expect(db.query('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/append-only: DELETE refused/)
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/)
    expect((await rows()).length).toBe(2)
  })

  it('refuses to move the head back or delete it', async () => {
    await appendAll(db, SAMPLE.slice(0, 2))
    await expect(db.query('UPDATE audit_head SET seq = 1')).rejects.toThrow(/only advances by one row/)
    await expect(db.query('DELETE FROM audit_head')).rejects.toThrow(/only advances by one row/)
    await expect(db.query('INSERT INTO audit_head (id, seq, hash) VALUES (2, 0, $1)', [GENESIS])).rejects.toThrow()
    expect((await head())[0]!.seq).toBe(2)
  })

  it('appends a batch as the same chain as one by one, between single appends', async () => {
    const one = await appendAll(db, SAMPLE)
    const oneByOne = (await rows()).map((x) => x.hash)
    expect(oneByOne).toEqual(one)
    await resetAudit(db)
    await appendAll(db, SAMPLE.slice(0, 1))
    await db.transaction((tx) => appendAudits(tx, SAMPLE.slice(1, -1)))
    await db.transaction((tx) => appendAudits(tx, []))
    await appendAll(db, SAMPLE.slice(-1))
    expect((await rows()).map((x) => x.hash)).toEqual(oneByOne)
    expect(await head()).toEqual([{ seq: SAMPLE.length, hash: oneByOne.at(-1) }])
    expect(await verifyAudit(db)).toMatchObject({ ok: true, rows: SAMPLE.length })
  })

  it('appends nothing of a batch whose transaction rolls back', async () => {
    await expect(db.transaction(async (tx) => {
      await appendAudits(tx, SAMPLE.slice(0, 3))
      throw new Error('change failed')
    })).rejects.toThrow('change failed')
    expect(await rows()).toEqual([])
    await expect(db.transaction((tx) => appendAudits(tx, [{ ...SAMPLE[0]!, at: Number.NaN }]))).rejects.toThrow(/needs a time/)
  })

  it('keeps the chain linear under 20 concurrent transactions', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async (tx) => {
          // Some work of the caller's own before the append, so that transactions overlap.
          await tx.query('SELECT pg_sleep(0.005)')
          return appendAudit(tx, { at: Date.UTC(2026, 9, 20, 0, 0, i), actor: `user${i}`, action: 'user.login', subject: `user:${i}`, detail: { i } })
        }),
      ),
    )
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    const r = await rows()
    for (let i = 1; i < r.length; i++) expect(r[i]!.prev_hash).toBe(r[i - 1]!.hash)
    expect(await verifyAudit(db)).toMatchObject({ ok: true, rows: 20, head: r.at(-1)!.hash })
  })
})
