/**
 * A database keeps the zone it was built with (common/db records it): its daily counts
 * are bucketed in that zone, and every deadline and card already stored was reckoned
 * in it. Starting under another JIANCHA_ZONE would mix two calendars in one database,
 * so the platform refuses, naming both zones (README.md, "Changing the zone").
 */
import { ConfigError } from '../common/config/index.ts'
import { MigrationVarMismatch, recordedVars, type Db } from '../common/db/index.ts'

/** zoneMismatch is the refusal to run a database built in one zone under another JIANCHA_ZONE. */
export function zoneMismatch(built: string, wanted: string): ConfigError {
  return new ConfigError(
    'JIANCHA_ZONE',
    `is "${wanted}", but this database was built with zone "${built}": its daily counts and the deadlines of its cards are in ${built}. ` +
      `Start with JIANCHA_ZONE=${built}, or use a new database for ${wanted} (another JIANCHA_DATA_DIR or DATABASE_URL); see README.md, "Changing the zone"`,
  )
}

/** asZoneError turns the database's refusal of another zone into zoneMismatch; other errors come back as they are. */
export function asZoneError(e: unknown): unknown {
  return e instanceof MigrationVarMismatch && e.variable === 'zone' ? zoneMismatch(e.built, e.wanted) : e
}

/** checkDbZone refuses a database opened elsewhere (a test's) that was built with another zone than `zone`. */
export async function checkDbZone(db: Db, zone: string): Promise<void> {
  const built = (await recordedVars(db)).zone
  if (built !== undefined && built !== zone) throw zoneMismatch(built, zone)
}
