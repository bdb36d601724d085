/**
 * The kpi worker's tables (migrations 041, 042): kpi_cases (each case as the figures
 * read it, with the facts it adds), kpi_facts (a hypertable of count changes) and the
 * rollups kpi_daily and kpi_monthly (continuous aggregates on TimescaleDB, tables kept
 * in step here on plain PostgreSQL). Reading sums the months, the days of the month
 * in progress and the facts of the day in progress, so any `until` is exact.
 */
import type { Kind } from '../common/contract/index.ts'
import type { Db, Queryable } from '../common/db/index.ts'
import type { Zone } from '../common/time/index.ts'
import type { Fact, FactDelta } from './caseFacts.ts'
import type { CaseState } from './caseState.ts'
import type { FactSum } from './factCounts.ts'
import { periodOf, periodStart, type PeriodUnit } from './period.ts'

/** CaseRef names a case; kind is a case kind, or 'thread' for a supervision thread. */
export interface CaseRef {
  kind: Kind | 'thread'
  caseId: string
}

/** StoredCase is a case as kept: its state and the facts it added. */
export interface StoredCase<S = CaseState> extends CaseRef {
  state: S
  facts: Fact[]
}

/** CaseDelta is a fact change of one case. */
export type CaseDelta = FactDelta & CaseRef

/** loadCases reads the cases named, locked for the transaction; a case never seen is absent. */
export async function loadCases<S = CaseState>(tx: Queryable, refs: readonly CaseRef[]): Promise<Map<string, StoredCase<S>>> {
  const out = new Map<string, StoredCase<S>>()
  if (!refs.length) return out
  const r = await tx.query<{ kind: CaseRef['kind']; case_id: string; state: S; facts: Fact[] }>(
    `SELECT c.kind, c.case_id, c.state, c.facts FROM kpi_cases c
     JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS w(kind, case_id)) w ON c.kind = w.kind AND c.case_id = w.case_id
     ORDER BY c.kind, c.case_id FOR UPDATE OF c`,
    [refs.map((x) => x.kind), refs.map((x) => x.caseId)],
  )
  for (const row of r.rows) out.set(refKey({ kind: row.kind, caseId: row.case_id }), { kind: row.kind, caseId: row.case_id, state: row.state, facts: row.facts })
  return out
}

/** refKey is the map key of a case. */
export function refKey(ref: CaseRef): string {
  return `${ref.kind}:${ref.caseId}`
}

/** saveCases writes the cases' state and facts, in one statement. */
export async function saveCases<S>(tx: Queryable, cases: readonly StoredCase<S>[], now: number): Promise<void> {
  if (!cases.length) return
  const rows = cases.map((c) => ({ kind: c.kind, case_id: c.caseId, state: c.state, facts: c.facts }))
  await tx.query(
    `INSERT INTO kpi_cases (kind, case_id, state, facts, updated_at)
     SELECT r.kind, r.case_id, r.state, r.facts, $2 FROM jsonb_to_recordset($1::jsonb) AS r(kind text, case_id text, state jsonb, facts jsonb)
     ON CONFLICT (kind, case_id) DO UPDATE SET state = EXCLUDED.state, facts = EXCLUDED.facts, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify(rows), new Date(now)],
  )
}

/** RollupMode says how the rollups follow the facts: continuous aggregates (TimescaleDB), or tables kept here. */
export interface RollupMode {
  timescale: boolean
  /** the platform's zone, whose days and months the rollups are bucketed in (the database's own, see zoneGuard) */
  zone: string
}

/** addFacts inserts the changes and, on plain PostgreSQL, adds them to the daily and monthly rollups in the same transaction. */
export async function addFacts(tx: Queryable, deltas: readonly CaseDelta[], mode: RollupMode, now: number): Promise<void> {
  if (!deltas.length) return
  const rows = deltas.map((d) => ({ at: new Date(d.t).toISOString(), dept: d.dept, count: d.count, delta: d.delta, kind: d.kind, case_id: d.caseId, rule: d.rule ?? null }))
  const json = JSON.stringify(rows)
  await tx.query(
    `INSERT INTO kpi_facts (at, dept, count, delta, kind, case_id, rule, recorded_at)
     SELECT r.at, r.dept, r.count, r.delta, r.kind, r.case_id, r.rule, $2 FROM jsonb_to_recordset($1::jsonb) AS r(at timestamptz, dept text, count text, delta integer, kind text, case_id text, rule text)`,
    [json, new Date(now)],
  )
  if (mode.timescale) return
  // The same buckets as time_bucket with a zone: 00:00 local of the day, of the month's first day.
  await tx.query(
    `INSERT INTO kpi_daily (day, dept, count, n)
     SELECT date_trunc('day', r.at AT TIME ZONE $2) AT TIME ZONE $2, r.dept, r.count, sum(r.delta)
     FROM jsonb_to_recordset($1::jsonb) AS r(at timestamptz, dept text, count text, delta integer) GROUP BY 1, 2, 3
     ON CONFLICT (day, dept, count) DO UPDATE SET n = kpi_daily.n + EXCLUDED.n`,
    [json, mode.zone],
  )
  await tx.query(
    `INSERT INTO kpi_monthly (month, dept, count, n)
     SELECT date_trunc('month', r.at AT TIME ZONE $2) AT TIME ZONE $2, r.dept, r.count, sum(r.delta)
     FROM jsonb_to_recordset($1::jsonb) AS r(at timestamptz, dept text, count text, delta integer) GROUP BY 1, 2, 3
     ON CONFLICT (month, dept, count) DO UPDATE SET n = kpi_monthly.n + EXCLUDED.n`,
    [json, mode.zone],
  )
}

/**
 * refreshRollups materializes the continuous aggregates over the days [from, to) (rounded
 * out to whole months), the daily one first: what real-time aggregation does not show
 * of facts added behind the refreshed range. Nothing to do on plain PostgreSQL. Not in
 * a transaction (TimescaleDB refuses).
 */
export async function refreshRollups(db: Db, from: number, to: number, zone: Zone): Promise<void> {
  if (!db.timescale || !(to > from)) return
  const lo = new Date(periodStart(periodOf(from, 'month', zone), zone)).toISOString()
  const hi = new Date(periodStart({ unit: 'month', n: periodOf(to, 'month', zone).n + 1 }, zone)).toISOString()
  await db.query(`CALL refresh_continuous_aggregate('kpi_daily', $1::timestamptz, $2::timestamptz)`, [lo, hi])
  await db.query(`CALL refresh_continuous_aggregate('kpi_monthly', $1::timestamptz, $2::timestamptz)`, [lo, hi])
}

/** SumOptions bound a read: from a month's start, until any instant (excluded). */
export interface SumOptions {
  /** the start of a month (a period's start), included */
  from: number
  until: number
  unit: PeriodUnit
  zone: Zone
  /** only these departments, when given */
  depts?: readonly string[]
}

/**
 * sumFacts reads the sums of the facts in [from, until): whole months from kpi_monthly,
 * the days of the month `until` falls in from kpi_daily, the rest of its day from the
 * facts, summed per period of `unit` in the database (a row per period, department and
 * count, at the period's start), so that a quarter's read carries a third of its months'
 * rows. The period of a row is found by width_bucket over the periods' starts, computed
 * here: grouping by date_trunc in the zone cost a zone conversion per row, which
 * EXPLAIN ANALYZE showed dearer than the rows it saved (bench:kpi, docs/kpi.md § Speed).
 * Workload of other period lengths is left out.
 */
export async function sumFacts(q: Queryable, o: SumOptions): Promise<FactSum[]> {
  if (!(o.until > o.from)) return []
  const monthCut = Math.max(o.from, periodStart(periodOf(o.until, 'month', o.zone), o.zone))
  const dayCut = Math.max(monthCut, o.zone.startOf(o.zone.dayOf(o.until)))
  const starts: number[] = []
  for (let p = periodOf(o.from, o.unit, o.zone); periodStart(p, o.zone) < o.until; p = { unit: o.unit, n: p.n + 1 }) starts.push(periodStart(p, o.zone))
  const r = await q.query<{ b: number; dept: string; count: string; n: number }>(
    `SELECT width_bucket(t, $7::timestamptz[]) AS b, dept, count, sum(n::float8) AS n FROM (
       SELECT month AS t, dept, count, n FROM kpi_monthly WHERE month >= $1 AND month < $2
       UNION ALL SELECT day, dept, count, n FROM kpi_daily WHERE day >= $2 AND day < $3
       UNION ALL SELECT at, dept, count, delta FROM kpi_facts WHERE at >= $3 AND at < $4
     ) x WHERE (count NOT LIKE 'workload.%' OR count = $5) AND ($6::text[] IS NULL OR dept = ANY($6))
     GROUP BY 1, 2, 3 HAVING sum(n::float8) <> 0`,
    [new Date(o.from), new Date(monthCut), new Date(dayCut), new Date(o.until), `workload.${o.unit}`, o.depts ?? null, starts.map((t) => new Date(t).toISOString())],
  )
  // Every row lies at or after the first start, so its bucket is at least 1.
  return r.rows.map((x) => ({ t: starts[x.b - 1]!, dept: x.dept, count: x.count, n: x.n }))
}

/**
 * sumFactsDirect gives what sumFacts gives, but summed straight from kpi_facts, per
 * period, without the rollups: the reference the rollups are checked and timed
 * against (bench:kpi). Slow by design on a large table.
 */
export async function sumFactsDirect(q: Queryable, o: SumOptions): Promise<FactSum[]> {
  if (!(o.until > o.from)) return []
  const r = await q.query<{ t: Date; dept: string; count: string; n: number }>(
    `SELECT date_trunc($6, at AT TIME ZONE $4) AT TIME ZONE $4 AS t, dept, count, sum(delta)::float8 AS n FROM kpi_facts
     WHERE at >= $1 AND at < $2 AND (count NOT LIKE 'workload.%' OR count = $3) AND ($5::text[] IS NULL OR dept = ANY($5))
     GROUP BY 1, 2, 3 HAVING sum(delta) <> 0`,
    [new Date(o.from), new Date(o.until), `workload.${o.unit}`, o.zone.name, o.depts ?? null, o.unit],
  )
  return r.rows.map((x) => ({ t: x.t.getTime(), dept: x.dept, count: x.count, n: x.n }))
}

/**
 * rebuildRollups brings the rollups level with every fact, after facts were loaded in
 * bulk beside addFacts (a restore, a benchmark's COPY): on TimescaleDB it refreshes the
 * continuous aggregates over the facts' whole span; on plain PostgreSQL it sums the
 * tables afresh from kpi_facts, as addFacts would have kept them. Not in a transaction.
 */
export async function rebuildRollups(db: Db, zone: Zone): Promise<void> {
  const span = await db.query<{ lo: Date | null; hi: Date | null }>('SELECT min(at) AS lo, max(at) AS hi FROM kpi_facts')
  const { lo, hi } = span.rows[0] ?? { lo: null, hi: null }
  if (db.timescale) {
    if (lo && hi) await refreshRollups(db, lo.getTime(), hi.getTime() + 1, zone)
    return
  }
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM kpi_daily')
    await tx.query('DELETE FROM kpi_monthly')
    await tx.query(
      `INSERT INTO kpi_daily (day, dept, count, n)
       SELECT date_trunc('day', at AT TIME ZONE $1) AT TIME ZONE $1, dept, count, sum(delta) FROM kpi_facts GROUP BY 1, 2, 3`,
      [zone.name],
    )
    await tx.query(
      `INSERT INTO kpi_monthly (month, dept, count, n)
       SELECT date_trunc('month', day AT TIME ZONE $1) AT TIME ZONE $1, dept, count, sum(n) FROM kpi_daily GROUP BY 1, 2, 3`,
      [zone.name],
    )
  })
}

/** earliestFact is the instant of the earliest fact before `until`, or null. */
export async function earliestFact(q: Queryable, until: number): Promise<number | null> {
  const r = await q.query<{ t: Date | null }>('SELECT min(at) AS t FROM kpi_facts WHERE at < $1', [new Date(until)])
  return r.rows[0]?.t ? r.rows[0].t.getTime() : null
}

/** CaseContribution is what one case adds to one count at one instant: the drill-down's row. */
export interface CaseContribution extends CaseRef {
  count: string
  n: number
  at: number
  /** the card's rule, for cards.* */
  rule: string | null
}

/** caseContributions lists the cases behind some counts of one department in [from, until), by instant, at most `limit` (all by default); units taken back are left out. */
export async function caseContributions(q: Queryable, o: { dept: string; counts: readonly string[]; from: number; until: number; limit?: number }): Promise<CaseContribution[]> {
  const r = await q.query<{ kind: CaseRef['kind']; case_id: string; count: string; n: number; at: Date; rule: string | null }>(
    `SELECT kind, case_id, count, sum(delta)::float8 AS n, at, rule
     FROM kpi_facts WHERE dept = $1 AND count = ANY($2) AND at >= $3 AND at < $4
     GROUP BY kind, case_id, count, at, rule HAVING sum(delta) <> 0 ORDER BY at, kind, case_id, count LIMIT $5`,
    [o.dept, o.counts, new Date(o.from), new Date(o.until), o.limit ?? null],
  )
  return r.rows.map((x) => ({ kind: x.kind, caseId: x.case_id, count: x.count, n: x.n, at: x.at.getTime(), rule: x.rule }))
}

/**
 * sumFactsRaw sums the facts of [from, until) straight from kpi_facts, per department
 * and count, as rows at `from`: inside a transaction that has just added facts, where a
 * continuous aggregate's materialized part cannot see them yet. For one period at a time.
 */
export async function sumFactsRaw(q: Queryable, from: number, until: number, unit: PeriodUnit): Promise<FactSum[]> {
  const r = await q.query<{ dept: string; count: string; n: number }>(
    `SELECT dept, count, sum(delta)::float8 AS n FROM kpi_facts
     WHERE at >= $1 AND at < $2 AND (count NOT LIKE 'workload.%' OR count = $3) GROUP BY dept, count HAVING sum(delta) <> 0`,
    [new Date(from), new Date(until), `workload.${unit}`],
  )
  return r.rows.map((x) => ({ t: from, dept: x.dept, count: x.count, n: x.n }))
}
