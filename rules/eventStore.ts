/**
 * The store of record for case events and case status, as the rules worker sees it:
 * the one owner of the tables events, event_ids and cases. Inserts are idempotent by
 * event id, so a redelivered event is stored once.
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

/** updateStatus records a case's status after one of its cards fired, for a case the worker has stored already. */
export async function updateStatus(tx: Queryable, kind: Kind, caseId: string, status: CaseStatus): Promise<void> {
  await tx.query('UPDATE cases SET open = $3, next_due = $4, updated_at = now() WHERE kind = $1 AND case_id = $2', [
    kind, caseId, status.open, status.nextDue === null ? null : new Date(status.nextDue),
  ])
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

/** knownEventIds returns those of `ids` that are stored already, so the collector can answer "duplicate". */
export async function knownEventIds(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  const r = await db.query<{ id: string }>('SELECT id FROM event_ids WHERE id = ANY($1)', [ids])
  return new Set(r.rows.map((x) => x.id))
}

/** latestEventAt returns the latest `at` among the events of one source, or null when it sent none. */
export async function latestEventAt(db: Queryable, source: string): Promise<number | null> {
  const r = await db.query<{ t: Date | null }>('SELECT max(at) AS t FROM events WHERE source = $1', [source])
  return r.rows[0]?.t ? r.rows[0].t.getTime() : null
}

/** lastHeard gives, per source, the department and the time of the latest event it was received with. */
export async function lastHeard(db: Queryable): Promise<Array<{ source: string; dept: string; receivedAt: number }>> {
  const r = await db.query<{ source: string; dept: string; received_at: Date }>(
    'SELECT DISTINCT ON (source) source, dept, received_at FROM events ORDER BY source, received_at DESC',
  )
  return r.rows.map((x) => ({ source: x.source, dept: x.dept, receivedAt: x.received_at.getTime() }))
}
