/**
 * The migration runner. Each migration (base file plus the companion for the
 * database's mode) is applied once, in one transaction unless a file opts out, and
 * recorded in schema_migrations with the sha256 of each file, so that editing an
 * applied migration is caught instead of silently diverging between databases.
 */
import type { Db, Queryable } from './db.ts'
import { loadMigrations, noTransaction, partsOf, type Migration, type SqlFile, type Variant } from './migrations.ts'
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

interface Applied {
  version: string
  name: string
  variant: Variant
  sha256: string
  companion_sha256: string | null
}

/** migrate applies the pending migrations in dir to db (opened by openDb) and returns the names it applied. */
export async function migrate(db: Db, dir: string, log: (msg: string) => void = () => {}): Promise<string[]> {
  if (!isMigratable(db)) throw new Error('database: migrate needs a Db opened by openDb')
  const migrations = loadMigrations(dir)
  const variant: Variant = db.timescale ? 'timescale' : 'plain'
  return db.withMigrationLock(async (s) => {
    await s.exec(TRACKING)
    const applied = await readApplied(s)
    for (const m of migrations) {
      const a = applied.get(m.version)
      if (a) check(m, a, variant, log)
    }
    const done: string[] = []
    for (const m of migrations) {
      if (applied.has(m.version)) continue
      await apply(s, m, variant)
      log(`database: applied migration ${m.version}_${m.name} (${variant})`)
      done.push(`${m.version}_${m.name}`)
    }
    return done
  })
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

async function apply(s: MigrationSession, m: Migration, variant: Variant): Promise<void> {
  const parts = partsOf(m, variant)
  const record = (q: Queryable) =>
    q.query('INSERT INTO schema_migrations (version, name, variant, sha256, companion_sha256) VALUES ($1, $2, $3, $4, $5)', [
      m.version,
      m.name,
      variant,
      m.base.sha256,
      m.companions[variant]?.sha256 ?? null,
    ])
  if (parts.some(noTransaction)) {
    // Statement by statement, autocommitted: a failure part-way leaves earlier
    // statements applied, so such files should be written to be re-runnable.
    for (const f of parts) for (const stmt of splitSql(f.sql)) await run(s, f, stmt)
    await record(s)
    return
  }
  await s.transaction(async (tx) => {
    for (const f of parts) if (splitSql(f.sql).length > 0) await run(tx, f, f.sql)
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
