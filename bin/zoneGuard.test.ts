import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../common/config/index.ts'
import { MigrationVarMismatch, type Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { asZoneError, checkDbZone, zoneMismatch } from './zoneGuard.ts'

describe('zoneMismatch', () => {
  it('names JIANCHA_ZONE, both zones and the way out', () => {
    const e = zoneMismatch('Asia/Shanghai', 'America/New_York')
    expect(e).toBeInstanceOf(ConfigError)
    expect(e.message).toBe(
      'config: JIANCHA_ZONE is "America/New_York", but this database was built with zone "Asia/Shanghai": its daily counts and the deadlines of its cards are in Asia/Shanghai. ' +
        'Start with JIANCHA_ZONE=Asia/Shanghai, or use a new database for America/New_York (another JIANCHA_DATA_DIR or DATABASE_URL); see README.md, "Changing the zone"',
    )
  })

  it('is what the database refusing another zone becomes; other errors stay as they are', () => {
    expect(asZoneError(new MigrationVarMismatch('zone', 'Asia/Tokyo', 'UTC'))).toEqual(zoneMismatch('Asia/Tokyo', 'UTC'))
    const other = new MigrationVarMismatch('region', 'a', 'b')
    expect(asZoneError(other)).toBe(other)
    const boom = new Error('boom')
    expect(asZoneError(boom)).toBe(boom)
  })
})

describe.each(openTestDbs())('checkDbZone on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open({ zone: 'Asia/Tokyo' })
  })
  afterAll(() => db?.close())

  it('accepts the zone the database was built with and refuses another', async () => {
    await expect(checkDbZone(db, 'Asia/Tokyo')).resolves.toBeUndefined()
    await expect(checkDbZone(db, 'Asia/Shanghai')).rejects.toThrow('JIANCHA_ZONE is "Asia/Shanghai", but this database was built with zone "Asia/Tokyo"')
  })
})
