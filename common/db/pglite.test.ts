import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS_DIR, openDb } from './db.ts'
import { loadMigrations } from './migrations.ts'
import { openPglite } from './pglite.ts'

describe('embedded PGlite on disk', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'jiancha-pglite-'))
  const migrationsDir = join(tmp, 'migrations')
  cpSync(MIGRATIONS_DIR, migrationsDir, { recursive: true })
  // Parents of the data directory do not exist yet: opening must create them.
  const dataDir = join(tmp, 'nested', 'data', 'pg')
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  const openLogged = async () => {
    const logs: string[] = []
    const db = await openDb({ dataDir, migrationsDir, log: (m) => logs.push(m) })
    return { db, logs }
  }

  it('keeps data across close and reopen, without re-applying migrations', async () => {
    const first = await openLogged()
    expect(first.db.timescale).toBe(true)
    expect(first.logs.filter((l) => l.includes('applied migration'))).toHaveLength(loadMigrations(migrationsDir).length)
    await first.db.query(`INSERT INTO cases (kind, case_id, dept, open, last_at) VALUES ('petition', 'c1', 'd', true, now())`)
    const appliedAt = (await first.db.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows
    await first.db.close()

    const again = await openLogged()
    expect(again.logs).toEqual([expect.stringMatching(/^database: embedded PGlite at .* with TimescaleDB /)])
    expect((await again.db.query('SELECT case_id FROM cases')).rows).toEqual([{ case_id: 'c1' }])
    expect((await again.db.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows).toEqual(appliedAt)
    await again.db.close()
  })

  it('writes to its hypertables after a reopen, under a refreshed continuous aggregate too', async () => {
    // A reopened PGlite does not load TimescaleDB by itself (no shared_preload_libraries):
    // every insert into a hypertable then failed, the first with "invalid INSERT on the
    // root table", the next with "continuous_agg_invalidation_trigger is not supported
    // under the current timescale license", and no card was stored after a restart.
    const card = (db: Awaited<ReturnType<typeof openLogged>>['db'], key: string) =>
      db.query(`INSERT INTO alert_events (time, alert_key, dept, level, rule) VALUES (now() - interval '2 days', $1, 'market', 'red', 'approval.overdue')`, [key])
    const event = (db: Awaited<ReturnType<typeof openLogged>>['db'], id: string) =>
      db.query(`INSERT INTO events (id, source, kind, type, case_id, dept, at, attrs, body, seq) VALUES ($1, 'hall', 'approval', 'resumed', 'A-1', 'market', now(), '{}', '{}', 1)`, [id])
    const first = await openLogged()
    await card(first.db, 'k1')
    await first.db.query(`CALL refresh_continuous_aggregate('alerts_daily', NULL, NULL)`)
    await first.db.close()
    for (const round of [2, 3]) {
      const again = await openLogged()
      await card(again.db, `k${round}`)
      await event(again.db, `e${round}`)
      expect((await again.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_events')).rows[0]!.n).toBe(round)
      // The insert was recorded as an invalidation of the materialized day: a refresh counts it.
      await again.db.query(`CALL refresh_continuous_aggregate('alerts_daily', NULL, NULL)`)
      expect((await again.db.query<{ n: number }>('SELECT sum(cards)::int AS n FROM alerts_daily')).rows[0]!.n).toBe(round)
      await again.db.close()
    }
  })

  it('refuses to open when an applied migration file was edited', async () => {
    appendFileSync(join(migrationsDir, '002_alerts.sql'), '\n-- edited\n')
    await expect(openLogged()).rejects.toThrow('database: migration 002_alerts.sql was changed after it was applied')
  })
})

describe('openPglite', () => {
  it('names the data directory when it cannot open it', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'jiancha-pglite-'))
    const file = join(tmp, 'not-a-dir')
    appendFileSync(file, 'x')
    await expect(openPglite({ dataDir: join(file, 'pg'), log: () => {} })).rejects.toThrow(
      `database: cannot open embedded database at ${join(file, 'pg')}: EEXIST`,
    )
    rmSync(tmp, { recursive: true, force: true })
  })
})
