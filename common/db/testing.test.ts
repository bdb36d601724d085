import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS_DIR } from './db.ts'
import { loadMigrations } from './migrations.ts'
import { openTestDbs } from './testing.ts'

describe('openTestDbs', () => {
  it('always offers embedded PGlite, and PostgreSQL only with TEST_DATABASE_URL', () => {
    const names = openTestDbs().map((d) => d.name)
    expect(names).toEqual(process.env.TEST_DATABASE_URL ? ['pglite', 'pg'] : ['pglite'])
  })

  it.runIf(process.env.TEST_DATABASE_URL)('gives PostgreSQL a fresh schema and drops it on close', async () => {
    const db = await openTestDbs().find((d) => d.name === 'pg')!.open()
    const schema = (await db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s
    expect(schema).toMatch(/^test_[0-9a-f]{12}$/)
    expect((await db.query('SELECT count(*) AS n FROM schema_migrations')).rows).toEqual([{ n: loadMigrations(MIGRATIONS_DIR).length }])
    await db.close()
    const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
    await c.connect()
    const left = await c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])
    await c.end()
    expect(left.rowCount).toBe(0)
  })
})
