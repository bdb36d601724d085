/**
 * `npm run bench:kpi`: how fast the figures are read at a province's scale. A synthetic
 * year (kpiYear.ts) of N events for 300 departments is loaded with COPY (kpiLoad.ts)
 * into a PostgreSQL database of the bench's own and into an embedded PGlite; then the
 * monthly ranking, a quarterly ranking and a drill-down are timed as the API reads them
 * (kpi's ranking() and drillDown(), from the rollups), against the same answers
 * computed without the rollups (kpi's source 'facts': a GROUP BY over every raw fact of
 * the periods) and against a bare scan of the raw events of the month. The answers must
 * be equal, or the bench fails. The kpi worker's ingest rate comes beside the rules
 * worker's and the raw limits (kpiIngest.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { type Db, openDb } from '../common/db/index.ts'
import { setLogLevel } from '../common/log/index.ts'
import { defaultScheme, type DrillDown, drillDown, parsePeriod, periodEnd, periodStart, ranking, type RankingRow, type ReadOptions, type Registry } from '../kpi/index.ts'
import { defaultContext } from '../rules/index.ts'
import { benchIngest } from './kpiIngest.ts'
import { loadPglite, loadPostgres, type Loaded } from './kpiLoad.ts'
import { deptCode } from './kpiYear.ts'

/** The issue's goals: every ranking under 100 ms at 20M events, and ≥ 100× faster than raw. */
const GOAL_MS = 100
const GOAL_RATIO = 100

/** BenchKpiOptions size the run. */
export interface BenchKpiOptions {
  /** events of the year on PostgreSQL, and on PGlite */
  events: number
  pgliteEvents: number
  /** events of the ingest slice through the workers (0: no ingest part) */
  ingestEvents: number
  depts: number
  /** timed runs of each read from the rollups, and of each raw read (each after one untimed run) */
  runs: number
  rawRuns: number
  skipPg: boolean
  skipPglite: boolean
  /** keep the database and the PGlite directory after the run */
  keep: boolean
  /** the PostgreSQL server (any database on it); the bench creates `database` there */
  url: string
  database: string
  print?: (line: string) => void
}

/** Timing is the milliseconds of several runs of one read. */
export interface Timing {
  runs: number
  median: number
  p95: number
}

/** ReadFigures is one read timed from the rollups and raw. */
export interface ReadFigures {
  read: string
  rollups: Timing
  raw: Timing
  ratio: number
}

/** BackendFigures are one database's volumes and reads. */
export interface BackendFigures {
  backend: 'pg' | 'pglite'
  loaded: Loaded
  volumes: Volumes
  reads: ReadFigures[]
  eventScan: Timing
}

/** MismatchError says that the rollups' answer differs from the raw one: the bench's failure. */
export class MismatchError extends Error {}

const UNTIL = Date.parse('2026-06-01T00:00:00+08:00')
const MONTH = parsePeriod('2025-11')
const QUARTER = parsePeriod('2025-Q4')
const INDICATOR = 'approval_on_time'

/** benchKpi runs the parts asked for and prints their figures; it throws MismatchError when an answer differs. */
export async function benchKpi(o: BenchKpiOptions): Promise<number> {
  setLogLevel('warn')
  const print = o.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const ctx = defaultContext()
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-bench-kpi-'))
  const pgUrl = o.skipPg ? null : databaseUrl(o.url, o.database)
  const out: BackendFigures[] = []
  try {
    if (pgUrl) await recreate(o.url, o.database)
    print(`bench kpi: ${o.depts} departments, the year 2025${pgUrl ? `; PostgreSQL database ${o.database}` : ''}; load average ${loadAverage()}`)
    if (o.ingestEvents > 0) {
      await benchIngest({ events: o.ingestEvents, depts: o.depts, ctx, pgUrl, pgliteDir: o.skipPglite ? null : dir, natsDir: join(dir, 'nats'), print })
    }
    const registry = registryOf(o.depts)
    const readOpts: ReadOptions = { zone: ctx.zone, scheme: defaultScheme(), until: UNTIL, registry }
    if (pgUrl) {
      print(`PostgreSQL: loading ${o.events} events…`)
      const db = await openDb({ url: pgUrl, dataDir: '', log: () => {} })
      try {
        const loaded = await loadPostgres(pgUrl, db, { events: o.events, depts: o.depts, ctx, progress: print })
        out.push(await measure(db, 'pg', loaded, readOpts, o, print))
      } finally {
        await db.close()
      }
    }
    if (!o.skipPglite) {
      print(`PGlite: loading ${o.pgliteEvents} events…`)
      const dataDir = join(dir, 'pglite')
      await (await openDb({ dataDir, log: () => {} })).close()
      const { loaded, db } = await loadPglite(dataDir, () => openDb({ dataDir, log: () => {} }), { events: o.pgliteEvents, depts: o.depts, ctx, progress: print })
      try {
        out.push(await measure(db, 'pglite', loaded, readOpts, o, print))
      } finally {
        await db.close()
      }
    }
    print(`goals (every ranking < ${GOAL_MS} ms and ≥ ${GOAL_RATIO}× raw): ${out.map((b) => `${name(b.backend)} at ${b.loaded.events} events ${goalsOf(b)}`).join('; ')}; load average ${loadAverage()}`)
    return 0
  } finally {
    if (o.keep) print(`kept: ${[pgUrl ? `the database ${o.database}` : '', o.skipPglite ? '' : `PGlite in ${join(dir, 'pglite')}`].filter(Boolean).join(', ')}`)
    else if (pgUrl) await drop(o.url, o.database)
    if (!o.keep || o.skipPglite) rmSync(dir, { recursive: true, force: true })
  }
}

/** measure prints a loaded database's volumes and times the reads, checking each against its raw answer. */
async function measure(db: Db, backend: 'pg' | 'pglite', loaded: Loaded, read: ReadOptions, o: BenchKpiOptions, print: (line: string) => void): Promise<BackendFigures> {
  const label = name(backend)
  const s = loaded.seconds
  print(`${label}: ${loaded.cases} cases, ${loaded.events} events, ${loaded.facts} facts loaded: COPY ${s.copy.toFixed(1)} s (${Math.round(loaded.events / s.copy)} events/s with their facts)${s.indexes ? `, indexes ${s.indexes.toFixed(1)} s` : ''}, rollups ${s.rollups.toFixed(1)} s`)
  const v = await volumes(db)
  print(`${label}: volumes: events ${v.events}, kpi_facts ${v.facts}, kpi_daily ${v.daily} rows, kpi_monthly ${v.monthly} rows; on disk: events ${mb(v.bytes.events)}, kpi_facts ${mb(v.bytes.facts)}, rollups ${mb(v.bytes.rollups)}, the whole database ${mb(v.bytes.database)} (${db.timescale ? 'TimescaleDB: hypertables, continuous aggregates' : 'plain: rollup tables'})`)
  const dept = deptCode(0)
  const reads: Array<{ read: string; run: (r: ReadOptions) => Promise<RankingRow[] | DrillDown> }> = [
    { read: 'monthly ranking 2025-11', run: (r: ReadOptions) => ranking(db, MONTH, r) },
    { read: 'quarterly ranking 2025-Q4', run: (r: ReadOptions) => ranking(db, QUARTER, r) },
    { read: `drill-down ${dept} 2025-11 ${INDICATOR}`, run: (r: ReadOptions) => drillDown(db, dept, MONTH, INDICATOR, r) },
  ]
  const figures: ReadFigures[] = []
  for (const q of reads) {
    const fast = await timed(() => q.run(read), o.runs)
    const raw = await timed(() => q.run({ ...read, source: 'facts' }), o.rawRuns)
    same(`${label} ${q.read}`, fast.result, raw.result)
    const ratio = raw.timing.median / fast.timing.median
    figures.push({ read: q.read, rollups: fast.timing, raw: raw.timing, ratio })
    const rows = Array.isArray(fast.result) ? `${fast.result.length} departments` : `${fast.result.parts.reduce((n, p) => n + p.cases.length, 0)} case rows`
    print(`${label}: ${q.read} (${rows}): rollups median ${ms(fast.timing.median)}, p95 ${ms(fast.timing.p95)} (${o.runs} runs); raw facts median ${ms(raw.timing.median)}, p95 ${ms(raw.timing.p95)} (${o.rawRuns} runs); ${ratio.toFixed(0)}× faster; answers equal`)
  }
  const scan = await eventScan(db, read, o.rawRuns)
  const month = figures[0]!
  print(`${label}: raw events scan of 2025-11 (one GROUP BY over the month's rows of events: events and accepted approvals per department, which match the facts): median ${ms(scan.median)}, p95 ${ms(scan.p95)}; the monthly ranking is ${(scan.median / month.rollups.median).toFixed(0)}× faster`)
  return { backend, loaded, volumes: v, reads: figures, eventScan: scan }
}

/** timed runs fn once untimed, then `runs` times; the answer of the last run. */
async function timed<T>(fn: () => Promise<T>, runs: number): Promise<{ timing: Timing; result: T }> {
  let result = await fn()
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    result = await fn()
    ms.push(performance.now() - t0)
  }
  return { timing: timingOf(ms), result }
}

/** timingOf gives the median and the nearest-rank 95th percentile. */
export function timingOf(ms: readonly number[]): Timing {
  const s = [...ms].sort((a, b) => a - b)
  const rank = (p: number) => s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? 0
  const median = s.length % 2 ? rank(0.5) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2
  return { runs: s.length, median, p95: rank(0.95) }
}

/** same throws MismatchError naming the first difference of two answers. */
function same(what: string, a: unknown, b: unknown): void {
  const x = JSON.stringify(a)
  const y = JSON.stringify(b)
  if (x === y) return
  let i = 0
  while (i < x.length && x[i] === y[i]) i++
  throw new MismatchError(`${what}: the rollups' answer differs from the raw one at character ${i}: …${x.slice(Math.max(0, i - 80), i + 80)}… against …${y.slice(Math.max(0, i - 80), i + 80)}…`)
}

/**
 * eventScan times the plainest read of the raw events for the month (the events table
 * has no index on `at` on plain PostgreSQL: a scan), and checks that its accepted
 * approvals per department are the facts' approval.accepted.
 */
async function eventScan(db: Db, read: ReadOptions, runs: number): Promise<Timing> {
  const from = new Date(periodStart(MONTH, read.zone))
  const until = new Date(periodEnd(MONTH, read.zone))
  const sql = `SELECT dept, count(*)::int AS events, count(*) FILTER (WHERE kind = 'approval' AND type = 'accepted')::int AS accepted FROM events WHERE at >= $1 AND at < $2 GROUP BY dept`
  const { timing, result } = await timed(() => db.query<{ dept: string; events: number; accepted: number }>(sql, [from, until]), runs)
  const fromEvents = Object.fromEntries(result.rows.filter((r) => r.accepted).map((r) => [r.dept, r.accepted]))
  const fromFacts = Object.fromEntries((await ranking(db, MONTH, read)).filter((r) => r.counts['approval.accepted']).map((r) => [r.dept, r.counts['approval.accepted']]))
  const sorted = (x: Record<string, number>) => Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
  same('accepted approvals of 2025-11 from the raw events', sorted(fromFacts), sorted(fromEvents))
  return timing
}

/** Volumes are the rows and bytes of the tables behind the figures. */
interface Volumes {
  events: number
  facts: number
  daily: number
  monthly: number
  bytes: { events: number; facts: number; rollups: number; database: number }
}

async function volumes(db: Db): Promise<Volumes> {
  const rows = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n)
  const size = async (table: string) => {
    const sql = db.timescale
      ? `SELECT coalesce((SELECT hypertable_size(format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name)::regclass)
           FROM timescaledb_information.continuous_aggregates WHERE view_name = $1),
           (SELECT hypertable_size(format('%I.%I', hypertable_schema, hypertable_name)::regclass) FROM timescaledb_information.hypertables WHERE hypertable_name = $1),
           pg_total_relation_size($1::regclass)) AS n`
      : 'SELECT pg_total_relation_size($1::regclass) AS n'
    return Number((await db.query<{ n: string }>(sql, [table])).rows[0]!.n)
  }
  return {
    events: await rows('events'),
    facts: await rows('kpi_facts'),
    daily: await rows('kpi_daily'),
    monthly: await rows('kpi_monthly'),
    bytes: {
      events: await size('events'),
      facts: await size('kpi_facts'),
      rollups: (await size('kpi_daily')) + (await size('kpi_monthly')),
      database: Number((await db.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n')).rows[0]!.n),
    },
  }
}

function goalsOf(b: BackendFigures): string {
  const rankings = b.reads.filter((r) => r.read.includes('ranking'))
  const fast = rankings.every((r) => r.rollups.p95 < GOAL_MS)
  const ratio = rankings.every((r) => r.ratio >= GOAL_RATIO)
  return `${fast ? 'met' : 'NOT met'} (< ${GOAL_MS} ms), ${ratio ? 'met' : 'NOT met'} (≥ ${GOAL_RATIO}×)`
}

function registryOf(n: number): Registry {
  const list = Array.from({ length: n }, (_, i) => ({ code: deptCode(i), nameZh: `部门${i + 1}`, nameEn: `Department ${i + 1}`, kind: i % 10 === 0 ? 'town' : 'bureau', active: true }))
  return { list: () => list }
}

/** databaseUrl is the server's URL with the bench's database in its path. */
function databaseUrl(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl(url, 'postgres') })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

async function recreate(url: string, database: string): Promise<void> {
  await admin(url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`)
    await c.query(`CREATE DATABASE ${ident(database)}`)
  })
}

async function drop(url: string, database: string): Promise<void> {
  await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`))
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`--database must be a plain name (a-z, 0-9, _), got "${name}"`)
  return name
}

const name = (b: 'pg' | 'pglite') => (b === 'pg' ? 'PostgreSQL' : 'PGlite')
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** loadAverage is the machine's: other work on it lowers every figure. */
function loadAverage(): string {
  return loadavg().map((x) => x.toFixed(2)).join(' ')
}
