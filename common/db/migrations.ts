/**
 * Reading the migrations folder: `NNN_name.sql` files applied in numeric order, each
 * with optional companions `NNN_name.timescale.sql` (applied when TimescaleDB is
 * installed) and `NNN_name.plain.sql` (applied when it is not).
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Variant says which companion set applies: the database's mode. */
export type Variant = 'timescale' | 'plain'

/** SqlFile is one migration file with its text and sha256. */
export interface SqlFile {
  file: string
  sql: string
  sha256: string
}

/** Migration is one version: its base file and any companions. */
export interface Migration {
  version: string
  name: string
  base: SqlFile
  companions: Partial<Record<Variant, SqlFile>>
}

const FILE = /^(\d+)_([^.]+?)(?:\.(timescale|plain))?\.sql$/

/** loadMigrations reads and checks dir; files not named like migrations (README.md, tests) are ignored. */
export function loadMigrations(dir: string): Migration[] {
  const byVersion = new Map<string, { name: string; base?: SqlFile; companions: Partial<Record<Variant, SqlFile>> }>()
  for (const file of readdirSync(dir).sort()) {
    const m = FILE.exec(file)
    if (!m) continue
    const [, version, name, variant] = m as unknown as [string, string, string, Variant | undefined]
    const entry = byVersion.get(version) ?? { name, companions: {} }
    if (entry.name !== name) throw new Error(`database: migrations ${version}_${entry.name} and ${file} share version ${version}`)
    const sql = readFileSync(join(dir, file), 'utf8')
    const f = { file, sql, sha256: sha256(sql) }
    if (variant) entry.companions[variant] = f
    else entry.base = f
    byVersion.set(version, entry)
  }
  const out: Migration[] = []
  for (const [version, e] of byVersion) {
    if (!e.base) throw new Error(`database: migration companion without base file ${version}_${e.name}.sql`)
    out.push({ version, name: e.name, base: e.base, companions: e.companions })
  }
  return out.sort((a, b) => Number(a.version) - Number(b.version))
}

/** partsOf lists the files a migration applies in a mode: the base, then its companion if any. */
export function partsOf(m: Migration, variant: Variant): SqlFile[] {
  const c = m.companions[variant]
  return c ? [m.base, c] : [m.base]
}

/** noTransaction tells whether a file opts out of a transaction with a first-line `-- migrate: no-transaction`. */
export function noTransaction(f: SqlFile): boolean {
  const first = f.sql.replace(/^\uFEFF/, '').split('\n', 1)[0] ?? ''
  return /^\s*--\s*migrate:\s*no-transaction\s*$/i.test(first)
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
