/** Detecting TimescaleDB, which decides which migration companions apply. */
import type { Queryable } from './db.ts'

/** Timescale is whether the extension is installed, its version, or why it is not. */
export interface Timescale {
  installed: boolean
  version?: string
  reason?: string
}

/**
 * ensureTimescale installs timescaledb if it can and reports whether it is there.
 * A failure (extension not available, no privilege) is not an error: the database then
 * runs in plain mode. `schema` pins where a fresh install goes, so that dropping a
 * throwaway test schema cannot drop the extension with it.
 */
export async function ensureTimescale(q: Queryable, schema?: string): Promise<Timescale> {
  let reason: string | undefined
  if (!(await installedVersion(q))) {
    try {
      await q.query(`CREATE EXTENSION IF NOT EXISTS timescaledb${schema ? ` SCHEMA ${schema}` : ''}`)
    } catch (err) {
      reason = (err as Error).message
    }
  }
  // Read back rather than trust the CREATE: another process may have won the race.
  const version = await installedVersion(q)
  return version ? { installed: true, version } : { installed: false, reason }
}

async function installedVersion(q: Queryable): Promise<string | undefined> {
  const r = await q.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'`)
  return r.rows[0]?.extversion
}
