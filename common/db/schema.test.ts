// Tests the shipped migrations (../../migrations) on every backend.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Zone } from '../time/index.ts'
import { type Db, MIGRATIONS_DIR } from './db.ts'
import { migrate, recordedVars } from './migrate.ts'
import { openTestDbs } from './testing.ts'

const raiseOn = (db: Db) => (at: string, dept: string, level: string) =>
  db.query('INSERT INTO alert_events (time, alert_key, dept, level, rule) VALUES ($1, $2, $3, $4, $5)', [new Date(at), `k-${at}-${dept}`, dept, level, 'r'])

describe.each(openTestDbs())('shipped schema on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db?.close())

  const raise = (at: string, dept: string, level: string) => raiseOn(db)(at, dept, level)

  it('applies all migrations in the mode of the database', async () => {
    // Later migrations belong to other modules; these three are this layer's own.
    const r = await db.query<{ version: string; variant: string }>(`SELECT version, variant FROM schema_migrations WHERE version <= '003' ORDER BY version`)
    const variant = db.timescale ? 'timescale' : 'plain'
    expect(r.rows).toEqual(['001', '002', '003'].map((version) => ({ version, variant })))
    if (db.timescale) {
      const h = await db.query('SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1')
      expect(h.rows).toEqual([{ hypertable_name: 'alert_events' }, { hypertable_name: 'events' }, { hypertable_name: 'kpi_facts' }])
    }
  })

  it('alerts_daily counts raises per Shanghai day, the same rows on both backends, without a refresh', async () => {
    await raise('2024-01-01T15:59:00Z', 'd1', 'red') // 23:59 on 1 Jan in Shanghai
    await raise('2024-01-01T16:00:00Z', 'd1', 'red') // 00:00 on 2 Jan
    await raise('2024-01-02T03:00:00Z', 'd1', 'red')
    await raise('2024-01-02T03:00:00Z', 'd2', 'yellow')
    const daily = await db.query('SELECT day, dept, level, cards FROM alerts_daily ORDER BY day, dept, level')
    // `day` is the instant the Shanghai day starts, a Date on both backends.
    expect(daily.rows).toEqual([
      { day: new Date('2023-12-31T16:00:00Z'), dept: 'd1', level: 'red', cards: 1 },
      { day: new Date('2024-01-01T16:00:00Z'), dept: 'd1', level: 'red', cards: 2 },
      { day: new Date('2024-01-01T16:00:00Z'), dept: 'd2', level: 'yellow', cards: 1 },
    ])
  })

  it('keeps alerts_daily real-time past the last refresh (TimescaleDB only)', async ({ skip }) => {
    if (!db.timescale) skip()
    await db.query(`CALL refresh_continuous_aggregate('alerts_daily', NULL, NULL)`)
    await raise('2024-03-01T01:00:00Z', 'd3', 'red')
    const r = await db.query(`SELECT cards FROM alerts_daily WHERE dept = 'd3'`)
    // Buckets after the watermark come from alert_events at query time. A raise landing
    // in an already-materialized bucket would show only after the next refresh.
    expect(r.rows).toEqual([{ cards: 1 }])
  })

  it('enforces alert levels and keeps one row per event id', async () => {
    await expect(
      db.query(`INSERT INTO alerts (key, rule, level, case_id, dept, at) VALUES ('k', 'r', 'green', 'c', 'd', now())`),
    ).rejects.toThrow(/check constraint/)
    const dedup = `INSERT INTO event_ids (source, id) VALUES ('s', 'e1') ON CONFLICT DO NOTHING`
    expect((await db.query(dedup)).rowCount).toBe(1)
    expect((await db.query(dedup)).rowCount).toBe(0)
  })
})

// The same relation in a zone with daylight saving: built with JIANCHA_ZONE, not Shanghai.
describe.each(openTestDbs())('alerts_daily in America/New_York on $name', ({ open }) => {
  const zone = Zone.of('America/New_York')
  let db: Db
  beforeAll(async () => {
    db = await open({ zone: zone.name })
  })
  afterAll(() => db?.close())

  it('is built with the zone it was opened with, and records it', async () => {
    expect(await recordedVars(db)).toEqual({ zone: 'America/New_York' })
    if (db.timescale) {
      // Still a continuous aggregate, real-time, after being rebuilt in the zone.
      const c = await db.query(`SELECT materialized_only FROM timescaledb_information.continuous_aggregates WHERE view_name = 'alerts_daily'`)
      expect(c.rows).toEqual([{ materialized_only: false }])
    }
  })

  it('buckets raises on local dates across the spring-forward day, the same rows on both backends', async () => {
    const raise = raiseOn(db)
    const times = ['2026-03-08T04:59:00Z', '2026-03-08T05:00:00Z', '2026-03-09T03:59:00Z', '2026-03-09T04:00:00Z']
    for (const t of times) await raise(t, 'ny', 'yellow')
    const daily = await db.query<{ day: Date; cards: number }>(`SELECT day, cards FROM alerts_daily WHERE dept = 'ny' ORDER BY day`)
    // 23:59 on 7 March (EST); 00:00 and 23:59 on 8 March, a 23-hour day; 00:00 on 9 March (EDT).
    expect(daily.rows).toEqual([
      { day: new Date('2026-03-07T05:00:00Z'), cards: 1 },
      { day: new Date('2026-03-08T05:00:00Z'), cards: 2 },
      { day: new Date('2026-03-09T04:00:00Z'), cards: 1 },
    ])
    // The database's days are the platform calendar's days (common/time Zone).
    for (const t of times) {
      const start = zone.startOf(zone.dayOf(Date.parse(t)))
      expect(daily.rows.some((r) => r.day.getTime() === start)).toBe(true)
    }
  })

  it('stays real-time past a refresh in the zone (TimescaleDB only)', async ({ skip }) => {
    if (!db.timescale) skip()
    await db.query(`CALL refresh_continuous_aggregate('alerts_daily', NULL, NULL)`)
    await raiseOn(db)('2026-11-01T04:30:00Z', 'ny2', 'red') // 00:30 EDT on 1 November, the fall-back day
    const r = await db.query(`SELECT day, cards FROM alerts_daily WHERE dept = 'ny2'`)
    expect(r.rows).toEqual([{ day: new Date('2026-11-01T04:00:00Z'), cards: 1 }])
  })
})

// A database migrated before zones were recorded (001–015, 003 in Shanghai) migrates on.
describe.each(openTestDbs())('a database from before zones were recorded, on $name', ({ open }) => {
  const old = mkdtempSync(join(tmpdir(), 'jiancha-old-migrations-'))
  for (const f of readdirSync(MIGRATIONS_DIR)) if (/^0(0\d|1[0-5])_/.test(f)) copyFileSync(join(MIGRATIONS_DIR, f), join(old, f))
  let db: Db
  beforeAll(async () => {
    db = await open({ migrationsDir: old })
    await db.query('DELETE FROM schema_vars') // as an older runner left it
    await raiseOn(db)('2024-01-01T15:59:00Z', 'd1', 'red') // 23:59 on 1 January in Shanghai
    if (db.timescale) await db.query(`CALL refresh_continuous_aggregate('alerts_daily', NULL, NULL)`)
  })
  afterAll(async () => {
    await db?.close()
    rmSync(old, { recursive: true, force: true })
  })
  const legacyVars = { zone: 'Asia/Shanghai' }

  it('refuses another zone than Shanghai and changes nothing', async () => {
    await expect(migrate(db, MIGRATIONS_DIR, { vars: { zone: 'America/New_York' }, legacyVars })).rejects.toThrow(
      'built with zone "Asia/Shanghai", not "America/New_York"',
    )
    expect((await db.query(`SELECT 1 FROM schema_migrations WHERE version = '016'`)).rowCount).toBe(0)
  })

  it('applies the zone migration in Shanghai, keeping its days', async () => {
    const applied = await migrate(db, MIGRATIONS_DIR, { vars: legacyVars, legacyVars })
    // 016 first, then whatever later migrations the tree holds.
    expect(applied[0]).toBe('016_daily_zone')
    expect(applied).toEqual(readdirSync(MIGRATIONS_DIR).filter((f) => /^\d+_[^.]+\.sql$/.test(f) && f >= '016').map((f) => f.replace('.sql', '')).sort())
    expect(await recordedVars(db)).toEqual(legacyVars)
    const daily = await db.query('SELECT day, dept, level, cards FROM alerts_daily')
    expect(daily.rows).toEqual([{ day: new Date('2023-12-31T16:00:00Z'), dept: 'd1', level: 'red', cards: 1 }])
  })
})
