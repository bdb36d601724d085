/** The public face of common/db: other components import from here, and only from here. */
export { type Db, openDb, type Queryable } from './db.ts'
export { keepState, readState } from './platformState.ts'
export { MigrationVarMismatch, recordedVars } from './migrate.ts'
export { refusedForData } from './refused.ts'
