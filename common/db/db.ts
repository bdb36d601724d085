/**
 * The database layer: one small interface over two backends. Embedded PGlite (with
 * TimescaleDB) needs no server and is the default; PostgreSQL via `pg` is used when a
 * URL is configured. Both return the same JS types (see types.ts) and run the same
 * migrations, with TimescaleDB-only parts in companion files (see migrate.ts).
 */
import { fileURLToPath } from 'node:url'
import { DEFAULT_ZONE } from '../time/index.ts'
import { migrate } from './migrate.ts'
import { openPglite } from './pglite.ts'
import { openPostgres } from './postgres.ts'

/** QueryResult is the rows of one statement and how many rows it returned or changed. */
export interface QueryResult<R> {
  rows: R[]
  rowCount: number
}

/**
 * Queryable runs one SQL statement with `$1`-style parameters.
 * Pass jsonb parameters as JSON.stringify(value): `pg` would turn a JS array into a
 * PostgreSQL array literal, which is not valid JSON.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>
}

/** Db is an open database: queries, transactions and which backend serves them. */
export interface Db extends Queryable {
  readonly backend: 'pglite' | 'pg'
  /** true when the timescaledb extension is installed in this database */
  readonly timescale: boolean
  /**
   * runs fn in one transaction; commits when fn resolves, rolls back when it throws.
   * Use only `tx` inside fn: on PGlite, `db.query` waits for the transaction to end.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** DbOptions says where the database lives: a PostgreSQL URL, else a PGlite data directory. */
export interface DbOptions {
  url?: string
  dataDir: string
  log?: (msg: string) => void
}

/** OpenOptions adds the migrations directory, the zone and, for PostgreSQL only, a schema to work in. */
export type OpenOptions = DbOptions & {
  migrationsDir?: string
  /**
   * the platform's zone (JIANCHA_ZONE), filled into the migrations' {{zone}}; DEFAULT_ZONE
   * by default. A database built with one zone refuses another (MigrationVarMismatch).
   */
  zone?: string
  /** server backend only: create this schema if missing and put it first on search_path */
  schema?: string
}

/**
 * LEGACY_ZONE is the zone of a database migrated before zones were recorded: migration
 * 003 then bucketed days in Asia/Shanghai literally, whatever JIANCHA_ZONE said.
 */
export const LEGACY_ZONE = 'Asia/Shanghai'

/** MIGRATIONS_DIR is the repository's migrations/ folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))

/** openDb opens PostgreSQL via `pg` when url is set, else embedded PGlite+TimescaleDB in dataDir, then applies migrations. */
export async function openDb(opts: OpenOptions): Promise<Db> {
  const log = opts.log ?? ((msg: string) => console.error(msg))
  const db = opts.url
    ? await openPostgres({ url: opts.url, schema: opts.schema, log })
    : await openPglite({ dataDir: opts.dataDir, log })
  try {
    await migrate(db, opts.migrationsDir ?? MIGRATIONS_DIR, { log, vars: { zone: opts.zone ?? DEFAULT_ZONE }, legacyVars: { zone: LEGACY_ZONE } })
  } catch (err) {
    // A half-open database would keep the process alive (pool sockets, PGlite wasm).
    await db.close().catch(() => {})
    throw err
  }
  return db
}
