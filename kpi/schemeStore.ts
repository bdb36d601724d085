/**
 * The stored scheme versions (table kpi_schemes): each version that scored a result is
 * kept with its canonical text, once, so that every result's `scheme` can be read back.
 */
import type { Queryable } from '../common/db/index.ts'
import type { Scheme } from './scheme.ts'

/** StoredScheme is one version as stored. */
export interface StoredScheme {
  version: string
  canonical: string
  origin: string
  firstUsed: number
}

/** recordScheme stores a scheme's version unless it is already there; true when it was new. */
export async function recordScheme(db: Queryable, scheme: Scheme, origin: string, now: number): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO kpi_schemes (version, canonical, origin, first_used) VALUES ($1, $2, $3, $4)
     ON CONFLICT (version) DO NOTHING RETURNING version`,
    [scheme.version, scheme.canonical, origin, new Date(now)],
  )
  return r.rowCount > 0
}

/** storedScheme reads one version back, or null. */
export async function storedScheme(db: Queryable, version: string): Promise<StoredScheme | null> {
  const r = await db.query<{ version: string; canonical: string; origin: string; first_used: Date }>(
    'SELECT version, canonical, origin, first_used FROM kpi_schemes WHERE version = $1',
    [version],
  )
  const row = r.rows[0]
  return row ? { version: row.version, canonical: row.canonical, origin: row.origin, firstUsed: row.first_used.getTime() } : null
}

/** storedSchemes lists every version, oldest first. */
export async function storedSchemes(db: Queryable): Promise<StoredScheme[]> {
  const r = await db.query<{ version: string; canonical: string; origin: string; first_used: Date }>(
    'SELECT version, canonical, origin, first_used FROM kpi_schemes ORDER BY first_used, version',
  )
  return r.rows.map((row) => ({ version: row.version, canonical: row.canonical, origin: row.origin, firstUsed: row.first_used.getTime() }))
}
