/**
 * The one owner of the table platform_state: small durable facts of the platform
 * itself, each a JSON value under a key (the demo city's time anchor, for one).
 */
import type { Queryable } from './db.ts'

/** readState returns the value kept under `key`, or undefined when none is. */
export async function readState(db: Queryable, key: string): Promise<unknown> {
  const r = await db.query<{ value: unknown }>('SELECT value FROM platform_state WHERE key = $1', [key])
  return r.rows[0]?.value
}

/**
 * keepState keeps `make()` under `key` unless a value is kept there already, and
 * returns the value kept: the first one written wins, also when two processes race.
 */
export async function keepState(db: Queryable, key: string, make: () => unknown): Promise<unknown> {
  const kept = await readState(db, key)
  if (kept !== undefined) return kept
  await db.query('INSERT INTO platform_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, JSON.stringify(make())])
  return readState(db, key)
}
