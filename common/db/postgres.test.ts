import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS_DIR, openDb } from './db.ts'
import { loadMigrations } from './migrations.ts'
import { openPostgres } from './postgres.ts'

describe('openPostgres', () => {
  it('fails clearly, without the password, when nothing listens', async () => {
    await expect(openPostgres({ url: 'postgres://app:s3cret@127.0.0.1:5999/x', log: () => {} })).rejects.toThrow(
      'database: cannot connect to postgres://app:***@127.0.0.1:5999/x: ECONNREFUSED',
    )
  })

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openPostgres({ url: 'postgres://127.0.0.1:5999/x', schema: 'a; drop', log: () => {} })).rejects.toThrow(
      /invalid schema name/,
    )
  })
})

const url = process.env.TEST_DATABASE_URL

describe.runIf(url)('openPostgres against TEST_DATABASE_URL', () => {
  const schema = `test_${randomBytes(6).toString('hex')}`
  afterAll(async () => {
    const db = await openPostgres({ url: url!, log: () => {} })
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await db.close()
  })

  it('works in its schema on every pooled connection and logs its mode once', async () => {
    const logs: string[] = []
    const db = await openPostgres({ url: url!, schema, log: (m) => logs.push(m) })
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatch(db.timescale ? /with TimescaleDB/ : /plain mode without TimescaleDB/)
    // Held open together, these queries must use several connections.
    const schemas = await Promise.all(
      Array.from({ length: 4 }, () => db.query<{ s: string }>('SELECT current_schema() AS s, pg_sleep(0.05)')),
    )
    expect(new Set(schemas.map((r) => r.rows[0]!.s))).toEqual(new Set([schema]))
    await db.close()
  })

  it('runs without JIT on every pooled connection: a compile cost more than the platform\'s statements', async () => {
    const db = await openPostgres({ url: url!, schema, log: () => {} })
    const jit = await Promise.all(Array.from({ length: 4 }, () => db.query<{ jit: string }>("SELECT current_setting('jit') AS jit, pg_sleep(0.05)")))
    expect(new Set(jit.map((r) => r.rows[0]!.jit))).toEqual(new Set(['off']))
    await db.close()
  })

  it('lets only one of two processes starting at once apply the migrations', async () => {
    const logs: string[] = []
    const opts = { url: url!, dataDir: '', schema, log: (m: string) => logs.push(m) }
    const dbs = await Promise.all([openDb(opts), openDb(opts)])
    const n = loadMigrations(MIGRATIONS_DIR).length
    expect(logs.filter((l) => l.includes('applied migration'))).toHaveLength(n)
    expect((await dbs[0].query('SELECT count(*) AS n FROM schema_migrations')).rows).toEqual([{ n }])
    await Promise.all(dbs.map((d) => d.close()))
  })
})

describe.runIf(url)('a PostgreSQL connection reset', () => {
  it('fails the statements in flight, never the process, and the next ones work', async () => {
    const logs: string[] = []
    const db = await openPostgres({ url: url!, log: (m) => logs.push(m) })
    const admin = await openPostgres({ url: url!, log: () => {} })
    const crashes: unknown[] = []
    const onCrash = (e: unknown) => crashes.push(e)
    process.on('uncaughtException', onCrash)
    try {
      const held = db.transaction(async (tx) => {
        const pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
        await admin.query('SELECT pg_terminate_backend($1)', [pid])
        await new Promise((r) => setTimeout(r, 200))
        await tx.query('SELECT 1')
      })
      await expect(held).rejects.toThrow()
      // An idle pooled connection cut too.
      await db.query('SELECT 1')
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '' AND pid <> pg_backend_pid() AND datname = current_database() AND state = 'idle'`)
      await new Promise((r) => setTimeout(r, 200))
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
      expect(crashes).toEqual([])
    } finally {
      process.off('uncaughtException', onCrash)
      await db.close()
      await admin.close()
    }
  })
})
