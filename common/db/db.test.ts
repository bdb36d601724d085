import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, type Db } from './db.ts'
import { openTestDbs } from './testing.ts'

describe.each(openTestDbs())('Db on $name', ({ name, open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
    await db.query('CREATE TABLE typed (seq int8, at timestamptz, doc jsonb, tags text[], day date, note text)')
  })
  afterAll(() => db?.close())

  it('returns the same JS types as the other backend for int8, timestamptz, jsonb, text[] and date', async () => {
    const ins = await db.query('INSERT INTO typed VALUES ($1, $2, $3, $4, $5, NULL), ($6, $2, $7, $8, $5, $9)', [
      1, new Date('2024-01-01T00:00:00Z'), JSON.stringify({ a: [1, 'x'] }), ['a', 'b'], '2024-01-31',
      2, JSON.stringify([{ b: true }]), [], 'n',
    ])
    expect(ins.rowCount).toBe(2)
    const rows = await db.query('SELECT seq, at, doc, tags, day, note FROM typed ORDER BY seq')
    // One literal for every backend: equal here means equal across backends.
    expect(rows.rows).toEqual([
      { seq: 1, at: new Date('2024-01-01T00:00:00Z'), doc: { a: [1, 'x'] }, tags: ['a', 'b'], day: '2024-01-31', note: null },
      { seq: 2, at: new Date('2024-01-01T00:00:00Z'), doc: [{ b: true }], tags: [], day: '2024-01-31', note: 'n' },
    ])
    expect(rows.rows[0]!.at).toBeInstanceOf(Date)
    const agg = await db.query('SELECT count(*) AS n, sum(seq) AS total, array_agg(seq ORDER BY seq) AS seqs FROM typed')
    expect(agg.rows).toEqual([{ n: 2, total: '3', seqs: [1, 2] }]) // sum(int8) is numeric: text on both
    expect(agg.rowCount).toBe(1)
    expect((await db.query('UPDATE typed SET note = $1', ['u'])).rowCount).toBe(2)
    expect(db.backend).toBe(name)
  })

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.query('CREATE TABLE tx_t (v text)')
    const out = await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO tx_t VALUES ('kept')`)
      return (await tx.query<{ n: number }>('SELECT count(*) AS n FROM tx_t')).rows[0]!.n
    })
    expect(out).toBe(1)
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO tx_t VALUES ('lost')`)
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect((await db.query('SELECT v FROM tx_t')).rows).toEqual([{ v: 'kept' }])
  })

  it('never lets a query issued meanwhile join a running transaction', async () => {
    await db.query('CREATE TABLE tx_i (v text)')
    const order: string[] = []
    let inside!: () => void
    let release!: () => void
    const entered = new Promise<void>((r) => (inside = r))
    const gate = new Promise<void>((r) => (release = r))
    const tx = db.transaction(async (t) => {
      await t.query(`INSERT INTO tx_i VALUES ('in-tx')`)
      inside()
      await gate
      order.push('tx')
      throw new Error('rolled back')
    })
    await entered
    const outside = db.query(`INSERT INTO tx_i VALUES ('outside')`).then(() => order.push('outside'))
    release()
    await expect(tx).rejects.toThrow('rolled back')
    await outside
    expect((await db.query('SELECT v FROM tx_i')).rows).toEqual([{ v: 'outside' }])
    // PGlite has one connection, so the outside query must have waited its turn.
    if (name === 'pglite') expect(order).toEqual(['tx', 'outside'])
  })
})

describe('openDb', () => {
  it('fails clearly, without the password, when PostgreSQL is unreachable', async () => {
    await expect(openDb({ url: 'postgres://app:s3cret@127.0.0.1:5999/x', dataDir: '', log: () => {} })).rejects.toThrow(
      'database: cannot connect to postgres://app:***@127.0.0.1:5999/x: ECONNREFUSED',
    )
  })
})
