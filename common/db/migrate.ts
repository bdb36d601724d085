/**
 * The migration runner. Each migration (base file plus the companion for the
 * database's mode) is applied once, in one transaction unless a file opts out, and
 * recorded in schema_migrations with the sha256 of each file, so that editing an
 * applied migration is caught instead of silently diverging between databases.
 *
 * Files may use placeholders (`{{zone}}`, placeholders.ts). The values a database is
 * built with are recorded in schema_vars once, and a later run with other values is
 * refused before anything is applied: one database never mixes two zones.
 */
import type { Db, Queryable } from './db.ts'
import { loadMigrations, noTransaction, partsOf, type Migration, type SqlFile, type Variant } from './migrations.ts'
import { fillPlaceholders, type MigrationVars } from './placeholders.ts'
import { isMigratable, type MigrationSession, type Script } from './session.ts'
import { splitSql } from './split.ts'

const TRACKING = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version text PRIMARY KEY,
  name text,
  applied_at timestamptz DEFAULT now(),
  variant text,
  sha256 text,
  companion_sha256 text
)`

const VARS = `CREATE TABLE IF NOT EXISTS schema_vars (
  name text PRIMARY KEY,
  value text NOT NULL,
  recorded_at timestamptz DEFAULT now()
)`

/** MigrateOptions are the runner's log and the placeholders' values. */
export interface MigrateOptions {
  log?: (msg: string) => void
  /** the values of the placeholders, e.g. { zone: 'Asia/Shanghai' } */
  vars?: MigrationVars
  /**
   * the values a database migrated before its values were recorded was built with
   * (its migrations named them literally); a database without any is taken as new
   */
  legacyVars?: MigrationVars
}

/** MigrationVarMismatch is the refusal to migrate a database with another value than it was built with. */
export class MigrationVarMismatch extends Error {
  constructor(
    readonly variable: string,
    /** the value the database was built with */
    readonly built: string,
    /** the value asked for now */
    readonly wanted: string,
  ) {
    super(`database: built with ${variable} "${built}", not "${wanted}"; a database keeps the ${variable} it was built with`)
  }
}

interface Applied {
  version: string
  name: string
  variant: Variant
  sha256: string
  companion_sha256: string | null
}

/** migrate applies the pending migrations in dir to db (opened by openDb) and returns the names it applied. */
export async function migrate(db: Db, dir: string, opts: MigrateOptions = {}): Promise<string[]> {
  if (!isMigratable(db)) throw new Error('database: migrate needs a Db opened by openDb')
  const { log = () => {}, vars = {}, legacyVars = {} } = opts
  const migrations = loadMigrations(dir)
  const variant: Variant = db.timescale ? 'timescale' : 'plain'
  return db.withMigrationLock(async (s) => {
    await s.exec(TRACKING)
    await s.exec(VARS)
    const applied = await readApplied(s)
    await settleVars(s, vars, applied.size > 0 ? legacyVars : {})
    for (const m of migrations) {
      const a = applied.get(m.version)
      if (a) check(m, a, variant, log)
    }
    const done: string[] = []
    for (const m of migrations) {
      if (applied.has(m.version)) continue
      await apply(s, m, variant, vars)
      log(`database: applied migration ${m.version}_${m.name} (${variant})`)
      done.push(`${m.version}_${m.name}`)
    }
    return done
  })
}

/** recordedVars reads the placeholder values a database was built with. */
export async function recordedVars(q: Queryable): Promise<Record<string, string>> {
  const r = await q.query<{ name: string; value: string }>('SELECT name, value FROM schema_vars')
  return Object.fromEntries(r.rows.map((x) => [x.name, x.value]))
}

// Every value must be the one the database was built with; a value not yet recorded
// is recorded now, as the one it is built with from here on.
async function settleVars(s: Script, vars: MigrationVars, legacy: MigrationVars): Promise<void> {
  const recorded = await recordedVars(s)
  for (const [name, value] of Object.entries(vars)) {
    const built = recorded[name] ?? legacy[name]
    if (built !== undefined && built !== value) throw new MigrationVarMismatch(name, built, value)
  }
  for (const [name, value] of Object.entries(vars)) {
    if (recorded[name] === undefined) await s.query('INSERT INTO schema_vars (name, value) VALUES ($1, $2)', [name, value])
  }
}

async function readApplied(q: Queryable): Promise<Map<string, Applied>> {
  const r = await q.query<Applied>('SELECT version, name, variant, sha256, companion_sha256 FROM schema_migrations')
  return new Map(r.rows.map((a) => [a.version, a]))
}

/** check fails when a file of an applied migration no longer matches what was applied. */
function check(m: Migration, a: Applied, variant: Variant, log: (msg: string) => void): void {
  const changed = (file: string) =>
    new Error(`database: migration ${file} was changed after it was applied (sha256 differs); restore it and put the change in a new migration`)
  if (a.sha256 !== m.base.sha256) throw changed(m.base.file)
  // Verify against the mode it was applied in: a database can gain TimescaleDB later.
  const companion = m.companions[a.variant]
  if ((companion?.sha256 ?? null) !== a.companion_sha256) throw changed(companion?.file ?? `${m.version}_${m.name}.${a.variant}.sql`)
  if (a.variant !== variant && (m.companions.timescale || m.companions.plain)) {
    log(`database: migration ${m.version}_${m.name} was applied in ${a.variant} mode; its schema stays so`)
  }
}

async function apply(s: MigrationSession, m: Migration, variant: Variant, vars: MigrationVars): Promise<void> {
  const parts = partsOf(m, variant).map((f) => ({ f, sql: fillPlaceholders(f, vars) }))
  const record = (q: Queryable) =>
    q.query('INSERT INTO schema_migrations (version, name, variant, sha256, companion_sha256) VALUES ($1, $2, $3, $4, $5)', [
      m.version,
      m.name,
      variant,
      m.base.sha256,
      m.companions[variant]?.sha256 ?? null,
    ])
  if (parts.some((p) => noTransaction(p.f))) {
    // Statement by statement, autocommitted: a failure part-way leaves earlier
    // statements applied, so such files should be written to be re-runnable.
    for (const { f, sql } of parts) for (const stmt of splitSql(sql)) await run(s, f, stmt)
    await record(s)
    return
  }
  await s.transaction(async (tx) => {
    for (const { f, sql } of parts) if (splitSql(sql).length > 0) await run(tx, f, sql)
    await record(tx)
  })
}

async function run(s: Script, f: SqlFile, sql: string): Promise<void> {
  try {
    await s.exec(sql)
  } catch (err) {
    throw new Error(`database: migration ${f.file} failed: ${(err as Error).message}`, { cause: err })
  }
}
