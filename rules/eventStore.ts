/**
 * The store of record for case events and case status, as the rules worker sees it.
 * Inserts are idempotent by event id, so a redelivered event is stored once.
 */
import type { Kind, TimedEvent, CaseEvent } from '../common/contract/index.ts'
import type { Queryable } from '../common/db/index.ts'
import type { CaseStatus } from './engine.ts'

/** storeEvent writes one event unless its id is known; returns true when it was new. */
export async function storeEvent(tx: Queryable, te: TimedEvent): Promise<boolean> {
  const ev = te.ev
  const r = await tx.query(
    `WITH fresh AS (INSERT INTO event_ids (id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id)
     INSERT INTO events (id, source, kind, type, case_id, dept, at, actor, attrs, body, seq)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM fresh`,
    [ev.id, ev.source, ev.kind, ev.type, ev.caseId, ev.dept, new Date(te.t), ev.actor ?? null, JSON.stringify(ev.attrs ?? {}), JSON.stringify(ev), te.seq],
  )
  return r.rowCount > 0
}

/** saveStatus records whether a case still has deadlines ahead, so a restart reloads it. */
export async function saveStatus(tx: Queryable, kind: Kind, caseId: string, dept: string, status: CaseStatus, lastAt: number): Promise<void> {
  await tx.query(
    `INSERT INTO cases (kind, case_id, dept, open, next_due, last_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (kind, case_id) DO UPDATE SET dept = EXCLUDED.dept, open = EXCLUDED.open, next_due = EXCLUDED.next_due,
       last_at = GREATEST(cases.last_at, EXCLUDED.last_at), updated_at = now()`,
    [kind, caseId, dept, status.open, status.nextDue === null ? null : new Date(status.nextDue), new Date(lastAt)],
  )
}

/** loadCase reads one case's events in contract order. */
export async function loadCase(db: Queryable, kind: Kind, caseId: string): Promise<TimedEvent[]> {
  const r = await db.query<{ body: CaseEvent; at: Date; seq: number }>(
    'SELECT body, at, seq FROM events WHERE kind = $1 AND case_id = $2 ORDER BY at, seq',
    [kind, caseId],
  )
  return r.rows.map((row) => ({ ev: row.body, t: row.at.getTime(), seq: Number(row.seq) }))
}

/** openCases lists the cases that still had deadlines ahead when last saved. */
export async function openCases(db: Queryable): Promise<Array<{ kind: Kind; caseId: string }>> {
  const r = await db.query<{ kind: Kind; case_id: string }>('SELECT kind, case_id FROM cases WHERE open ORDER BY next_due NULLS LAST')
  return r.rows.map((x) => ({ kind: x.kind, caseId: x.case_id }))
}

/** firedCards lists the cards a case raised and did not have withdrawn, with their instants. */
export async function firedCards(db: Queryable, kind: Kind, caseId: string): Promise<Array<{ rule: string; level: string; at: number }>> {
  const r = await db.query<{ rule: string; level: string; at: Date }>(
    "SELECT rule, level, at FROM alerts WHERE kind = $1 AND case_id = $2 AND status <> 'withdrawn'",
    [kind, caseId],
  )
  return r.rows.map((x) => ({ rule: x.rule, level: x.level, at: x.at.getTime() }))
}

/**
 * deptsSeen lists every department code the cases carry, with the instant of the
 * newest event of its cases: the admin page shows the codes the registry lacks.
 */
export async function deptsSeen(db: Queryable): Promise<Array<{ dept: string; lastAt: number }>> {
  const r = await db.query<{ dept: string; last_at: Date }>('SELECT dept, max(last_at) AS last_at FROM cases GROUP BY dept ORDER BY dept')
  return r.rows.map((x) => ({ dept: x.dept, lastAt: x.last_at.getTime() }))
}

/** recentRegistrations lists petition registrations since an instant, for the repeat rule after a restart. */
export async function recentRegistrations(db: Queryable, since: number): Promise<Array<{ kind: Kind; caseId: string }>> {
  const r = await db.query<{ case_id: string }>(
    `SELECT DISTINCT case_id FROM events WHERE kind = 'petition' AND type = 'registered' AND at >= $1`,
    [new Date(since)],
  )
  return r.rows.map((x) => ({ kind: 'petition' as Kind, caseId: x.case_id }))
}
