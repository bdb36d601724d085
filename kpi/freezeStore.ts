/**
 * The official results (tables kpi_frozen, kpi_revisions, migration 043). A period is
 * frozen once: its row's primary key is the period, so of several processes freezing
 * it at once, or a restart freezing it again, one insert wins and the others change
 * nothing; the audit row is written in the same transaction as the winning insert.
 * Both tables refuse UPDATE and DELETE.
 */
import { appendAudit } from '../common/audit/index.ts'
import type { Db, Queryable } from '../common/db/index.ts'
import type { CaseDelta } from './factStore.ts'
import type { PeriodUnit } from './period.ts'
import type { KpiRow } from './report.ts'

/** Frozen is a period's official result. */
export interface Frozen {
  period: string
  unit: PeriodUnit
  scheme: string
  frozenAt: number
  rows: KpiRow[]
}

/** Revision is a change a late event made to a frozen period's figures for one department. */
export interface Revision {
  id: number
  period: string
  dept: string
  notedAt: number
  scheme: string
  before: KpiRow | null
  after: KpiRow | null
  cause: Array<{ count: string; delta: number; at: string; kind: string; caseId: string; rule: string | null }>
}

/** freezePeriod stores a period's result unless it is frozen already; true when this call froze it (and audited it). */
export async function freezePeriod(db: Db, f: Frozen): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.query(
      `INSERT INTO kpi_frozen (period, unit, scheme, frozen_at, rows) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (period) DO NOTHING RETURNING period`,
      [f.period, f.unit, f.scheme, new Date(f.frozenAt), JSON.stringify(f.rows)],
    )
    if (!r.rowCount) return false
    await appendAudit(tx, {
      at: f.frozenAt,
      actor: 'system:kpi',
      action: 'kpi.frozen',
      subject: f.period,
      detail: { scheme: f.scheme, departments: f.rows.length, ranked: f.rows.filter((x) => x.rank !== null).length },
    })
    return true
  })
}

const FROZEN_COLUMNS = 'period, unit, scheme, frozen_at, rows'
type FrozenRow = { period: string; unit: PeriodUnit; scheme: string; frozen_at: Date; rows: KpiRow[] }
const frozenOf = (r: FrozenRow): Frozen => ({ period: r.period, unit: r.unit, scheme: r.scheme, frozenAt: r.frozen_at.getTime(), rows: r.rows })

/** frozenPeriods reads the frozen results of the periods named (all when none is named). */
export async function frozenPeriods(q: Queryable, periods?: readonly string[]): Promise<Frozen[]> {
  const r = await q.query<FrozenRow>(`SELECT ${FROZEN_COLUMNS} FROM kpi_frozen WHERE $1::text[] IS NULL OR period = ANY($1) ORDER BY period`, [periods ?? null])
  return r.rows.map(frozenOf)
}

/** lastFrozen reads the latest frozen period of a length (labels of one length sort as their periods), or null. */
export async function lastFrozen(q: Queryable, unit: PeriodUnit): Promise<Frozen | null> {
  const r = await q.query<FrozenRow>(`SELECT ${FROZEN_COLUMNS} FROM kpi_frozen WHERE unit = $1 ORDER BY period DESC LIMIT 1`, [unit])
  return r.rows[0] ? frozenOf(r.rows[0]) : null
}

/** addRevisions records revisions beside frozen results. */
export async function addRevisions(tx: Queryable, revisions: ReadonlyArray<Omit<Revision, 'id'>>): Promise<void> {
  if (!revisions.length) return
  await tx.query(
    `INSERT INTO kpi_revisions (period, dept, noted_at, scheme, before, after, cause)
     SELECT r.period, r.dept, r.noted_at, r.scheme, r.before, r.after, r.cause
     FROM jsonb_to_recordset($1::jsonb) AS r(period text, dept text, noted_at timestamptz, scheme text, before jsonb, after jsonb, cause jsonb)`,
    [JSON.stringify(revisions.map((x) => ({ period: x.period, dept: x.dept, noted_at: new Date(x.notedAt).toISOString(), scheme: x.scheme, before: x.before, after: x.after, cause: x.cause })))],
  )
}

/** revisionsOf lists a period's revisions, oldest first. */
export async function revisionsOf(q: Queryable, period: string): Promise<Revision[]> {
  const r = await q.query<{ id: number; period: string; dept: string; noted_at: Date; scheme: string; before: KpiRow | null; after: KpiRow | null; cause: Revision['cause'] }>(
    'SELECT id, period, dept, noted_at, scheme, before, after, cause FROM kpi_revisions WHERE period = $1 ORDER BY id',
    [period],
  )
  return r.rows.map((x) => ({ id: Number(x.id), period: x.period, dept: x.dept, notedAt: x.noted_at.getTime(), scheme: x.scheme, before: x.before, after: x.after, cause: x.cause }))
}

/** causeOf writes fact changes as a revision's cause. */
export function causeOf(deltas: readonly CaseDelta[]): Revision['cause'] {
  return deltas.map((d) => ({ count: d.count, delta: d.delta, at: new Date(d.t).toISOString(), kind: d.kind, caseId: d.caseId, rule: d.rule ?? null }))
}
