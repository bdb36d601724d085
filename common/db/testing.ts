/**
 * Test helper: the same test runs against every backend available. The embedded
 * in-memory PGlite is always there; PostgreSQL joins when TEST_DATABASE_URL is set,
 * each open getting a throwaway schema so that parallel test files do not collide.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDb, type Db } from './db.ts'

/** TestDb names a backend and opens a fresh, migrated database on it. */
export interface TestDb {
  name: string
  /** zone: the platform zone the database is built with, DEFAULT_ZONE by default */
  open: (opts?: { migrationsDir?: string; zone?: string }) => Promise<Db>
}

const quiet = () => {}

/** openTestDbs lists the backends to run a test on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function openTestDbs(): TestDb[] {
  const dbs: TestDb[] = [{ name: 'pglite', open: (o) => openDb({ dataDir: 'memory://', log: quiet, ...o }) }]
  const url = process.env.TEST_DATABASE_URL
  if (url) dbs.push({ name: 'pg', open: (o) => openInSchema(url, o) })
  return dbs
}

async function openInSchema(url: string, o: { migrationsDir?: string; zone?: string } = {}): Promise<Db> {
  const schema = `test_${randomBytes(6).toString('hex')}`
  let db: Db
  try {
    db = await openDb({ url, dataDir: '', schema, ...o, log: quiet })
  } catch (err) {
    await dropSchema(url, schema).catch(() => {})
    throw err
  }
  return {
    ...db,
    close: async () => {
      await db.close()
      await dropSchema(url, schema)
    },
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await c.end()
  }
}
