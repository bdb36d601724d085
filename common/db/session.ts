/**
 * What the migration runner needs from a backend beyond the public Db: running whole
 * SQL scripts, and one session held under a cross-process lock.
 */
import type { Queryable } from './db.ts'

/** Script is a Queryable that can also run a multi-statement SQL script. */
export interface Script extends Queryable {
  exec(sql: string): Promise<void>
}

/** MigrationSession is one connection; its transactions run on that same connection. */
export interface MigrationSession extends Script {
  transaction<T>(fn: (tx: Script) => Promise<T>): Promise<T>
}

/** Migratable is implemented by every Db that openDb returns. */
export interface Migratable {
  readonly timescale: boolean
  /** withMigrationLock runs fn on one session while no other process can migrate the same schema. */
  withMigrationLock<T>(fn: (s: MigrationSession) => Promise<T>): Promise<T>
}

/** isMigratable tells whether a value is a Db opened by openDb. */
export function isMigratable(x: unknown): x is Migratable {
  return typeof x === 'object' && x !== null && typeof (x as Migratable).withMigrationLock === 'function'
}
