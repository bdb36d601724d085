/**
 * What of TimescaleDB works in embedded PGlite, measured on the kpi tables, in a data
 * directory opened, closed and opened again (a restart). docs/kpi.md reports it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Db, openDb } from '../common/db/index.ts'
import { Zone } from '../common/time/index.ts'
import { addFacts, type CaseDelta, refreshRollups, sumFacts } from './factStore.ts'
import { parsePeriod, periodStart } from './period.ts'

const zone = Zone.of('Asia/Shanghai')
const T = (iso: string) => Date.parse(iso)
const dir = mkdtempSync(join(tmpdir(), 'jiancha-kpi-ts-'))
const open = () => openDb({ dataDir: join(dir, 'pg'), log: () => {} })
const fact = (at: string, delta = 1): CaseDelta => ({ count: 'approval.completed', dept: 'tax', t: T(at), delta, kind: 'approval', caseId: `C-${at}` })
const add = (db: Db, ...facts: CaseDelta[]) => db.transaction((tx) => addFacts(tx, facts, { timescale: true, zone: zone.name }, Date.now()))
/** monthly reads kpi_monthly as it answers, refreshed or not. */
const monthly = async (db: Db) =>
  (await db.query<{ month: Date; n: number }>("SELECT month, n::float8 AS n FROM kpi_monthly WHERE count = 'approval.completed' ORDER BY month")).rows.map((r) => `${zone.format(r.month.getTime()).slice(0, 7)}:${r.n}`)
const NOV = periodStart(parsePeriod('2026-11'), zone)
const total = async (db: Db) => (await sumFacts(db, { from: NOV, until: T('2027-01-01T00:00:00+08:00'), unit: 'month', zone })).reduce((s, r) => s + r.n, 0)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('TimescaleDB in embedded PGlite (kpi tables)', () => {
  it('has the extension, the hypertable and two continuous aggregates, the monthly on the daily, both real-time', async () => {
    const db = await open()
    try {
      expect(db.backend).toBe('pglite')
      expect(db.timescale).toBe(true)
      const h = await db.query<{ hypertable_name: string }>("SELECT hypertable_name FROM timescaledb_information.hypertables WHERE hypertable_name = 'kpi_facts'")
      expect(h.rows).toHaveLength(1)
      const c = await db.query<{ view_name: string; materialized_only: boolean; view_definition: string }>(
        "SELECT view_name, materialized_only, view_definition FROM timescaledb_information.continuous_aggregates WHERE view_name LIKE 'kpi_%' ORDER BY view_name",
      )
      expect(c.rows.map((r) => [r.view_name, r.materialized_only])).toEqual([['kpi_daily', false], ['kpi_monthly', false]])
      expect(c.rows[1]!.view_definition).toContain('kpi_daily')
    } finally {
      await db.close()
    }
  })

  it('shows new facts at once (real-time), late ones behind the refreshed range only once refreshed', async () => {
    const db = await open()
    try {
      await add(db, fact('2026-11-10T10:00:00+08:00'), fact('2026-12-01T00:00:00+08:00'))
      expect(await monthly(db)).toEqual(['2026-11:1', '2026-12:1'])
      await refreshRollups(db, NOV, T('2027-01-01T00:00:00+08:00'), zone)
      await add(db, fact('2026-11-20T10:00:00+08:00'))
      // Behind the materialized range: not seen until the kpi component refreshes.
      expect(await monthly(db)).toEqual(['2026-11:1', '2026-12:1'])
      await refreshRollups(db, T('2026-11-20T10:00:00+08:00'), T('2026-11-20T10:00:00+08:00') + 1, zone)
      expect(await monthly(db)).toEqual(['2026-11:2', '2026-12:1'])
      expect(await total(db)).toBe(3)
    } finally {
      await db.close()
    }
  })

  it('runs no refresh policy: the jobs exist, but nothing runs them', async () => {
    const db = await open()
    try {
      const jobs = await db.query<{ job_id: number; hypertable_name: string }>(
        "SELECT job_id, hypertable_name FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate' AND hypertable_name LIKE 'kpi_%' ORDER BY hypertable_name",
      )
      expect(jobs.rows.map((j) => j.hypertable_name)).toEqual(['kpi_daily', 'kpi_monthly'])
      const id = jobs.rows[0]!.job_id
      // Due every second from now on: a scheduler would run it within the wait.
      await db.query("SELECT alter_job($1, schedule_interval => interval '1 second', next_start => now())", [id])
      await add(db, fact('2026-11-25T10:00:00+08:00'))
      await new Promise((r) => setTimeout(r, 2500))
      const runs = await db.query<{ total_runs: number | null }>('SELECT total_runs::float8 AS total_runs FROM timescaledb_information.job_stats WHERE job_id = $1', [id])
      expect(runs.rows[0]?.total_runs ?? 0).toBe(0)
      expect(await monthly(db)).toEqual(['2026-11:2', '2026-12:1'])
    } finally {
      await db.close()
    }
  })

  it('after a restart: inserts into the hypertable under both aggregates, reads and refreshes', async () => {
    const db = await open()
    try {
      await add(db, fact('2026-12-15T10:00:00+08:00'), fact('2026-11-26T10:00:00+08:00'))
      await refreshRollups(db, NOV, T('2027-01-01T00:00:00+08:00'), zone)
      expect(await monthly(db)).toEqual(['2026-11:4', '2026-12:2'])
      expect(await total(db)).toBe(6)
    } finally {
      await db.close()
    }
  })
})
