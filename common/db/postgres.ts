/** The server backend: PostgreSQL through a `pg` connection pool, with or without TimescaleDB. */
import pg from 'pg'
import type { Db, QueryResult } from './db.ts'
import { connectError, redactUrl } from './errors.ts'
import { ensureTimescale } from './extension.ts'
import type { Migratable, MigrationSession, Script } from './session.ts'
import { pgTypes } from './types.ts'

/** PostgresOptions is the connection URL and, for tests, a schema to isolate in. */
export interface PostgresOptions {
  url: string
  schema?: string
  log: (msg: string) => void
}

/** openPostgres connects a pool, creates the schema if asked, and detects TimescaleDB. */
export async function openPostgres(opts: PostgresOptions): Promise<Db & Migratable> {
  const schema = opts.schema === undefined ? undefined : checkSchema(opts.schema)
  const pool = new pg.Pool({
    connectionString: opts.url,
    types: pgTypes,
    // pg waits forever by default; a dead host should fail the start, not hang it.
    connectionTimeoutMillis: 10_000,
    // public stays on the path so that extension functions installed there resolve.
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  })
  // Without a listener, an idle connection dropped by the server crashes the process.
  pool.on('error', (err) => opts.log(`database: idle connection lost: ${err.message}`))
  // No JIT: the platform's statements take milliseconds, and PostgreSQL compiled the
  // costlier-looking ones (a batch's lookups of thousands of keys) for 30 ms and more
  // each. Queued before anything the new connection is asked.
  pool.on('connect', (c) => void c.query('SET jit = off').catch(() => {}))
  const client = await pool.connect().catch(async (err: unknown) => {
    await pool.end().catch(() => {})
    throw connectError(opts.url, err)
  })
  let timescale: boolean
  try {
    if (schema) await createSchema(client, schema)
    const ts = await ensureTimescale(session(client), schema ? 'public' : undefined)
    timescale = ts.installed
    const where = redactUrl(opts.url) + (schema ? ` (schema ${schema})` : '')
    opts.log(
      ts.installed
        ? `database: PostgreSQL at ${where} with TimescaleDB ${ts.version}`
        : `database: PostgreSQL at ${where}, plain mode without TimescaleDB (${ts.reason})`,
    )
  } catch (err) {
    client.release()
    await pool.end().catch(() => {})
    throw err
  }
  client.release()
  return {
    backend: 'pg',
    timescale,
    query: async <R>(sql: string, params?: unknown[]) => toResult<R>(await pool.query(sql, params)),
    transaction: (fn) => withClient(pool, (c) => inTransaction(c, fn)),
    withMigrationLock: (fn) => withClient(pool, (c) => locked(c, fn)),
    close: () => pool.end(),
  }
}

function checkSchema(schema: string): string {
  // It is spliced into DDL and into the startup options, so it must be a plain identifier.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`database: invalid schema name ${JSON.stringify(schema)}`)
  return schema
}

// Connections whose ROLLBACK or unlock failed are in an unknown state: they are
// destroyed instead of going back to the pool.
const broken = new WeakSet<pg.PoolClient>()

async function createSchema(c: pg.PoolClient, schema: string): Promise<void> {
  try {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  } catch (err) {
    // IF NOT EXISTS is not atomic: a process creating it at the same moment wins with 23505.
    if ((err as { code?: string }).code !== '23505') throw err
  }
}

async function withClient<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect()
  // The pool listens for errors of idle connections only: one reset while checked out
  // (a restarted server, pg_terminate_backend) would be an unhandled 'error' event and
  // end the process. The statement in flight fails on its own; the connection is dropped.
  const onError = () => broken.add(c)
  c.on('error', onError)
  try {
    return await fn(c)
  } finally {
    c.off('error', onError)
    c.release(broken.has(c))
  }
}

async function inTransaction<T>(c: pg.PoolClient, fn: (tx: Script) => Promise<T>): Promise<T> {
  await c.query('BEGIN')
  try {
    const out = await fn(session(c))
    await c.query('COMMIT')
    return out
  } catch (err) {
    await c.query('ROLLBACK').catch(() => broken.add(c))
    throw err
  }
}

const LOCK_KEY = `hashtextextended('jiancha:migrate:' || current_schema(), 0)`

async function locked<T>(c: pg.PoolClient, fn: (s: MigrationSession) => Promise<T>): Promise<T> {
  // A session lock, held on this connection, so that two processes starting at once
  // against one database (and schema) apply each migration exactly once.
  await c.query(`SELECT pg_advisory_lock(${LOCK_KEY})`)
  try {
    return await fn({ ...session(c), transaction: (f) => inTransaction(c, f) })
  } finally {
    await c.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => broken.add(c))
  }
}

function session(c: pg.PoolClient): Script {
  return {
    query: async <R>(sql: string, params?: unknown[]) => toResult<R>(await c.query(sql, params)),
    // Without parameters pg uses the simple protocol, which accepts several statements.
    exec: async (sql: string) => {
      await c.query(sql)
    },
  }
}

function toResult<R>(r: pg.QueryResult | pg.QueryResult[]): QueryResult<R> {
  // A parameterless query holding several statements yields one result each; keep the last, as PGlite does.
  const last = Array.isArray(r) ? r[r.length - 1] : r
  const rows = (last?.rows ?? []) as R[]
  return { rows, rowCount: last?.rowCount ?? rows.length }
}
