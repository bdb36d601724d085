/**
 * The store of record for case events and case status, as the rules worker sees it:
 * the one owner of the tables events, event_ids and cases. An event is known by its
 * source and id (contract v1.1); inserts are idempotent by that pair, so a redelivered
 * event is stored once. The worker writes a batch of events, and the statuses of a
 * batch of cases, each with one statement.
 */
import type { Kind, TimedEvent, CaseEvent } from '../common/contract/index.ts'
import type { Queryable } from '../common/db/index.ts'
import type { CaseStatus } from './engine.ts'

/** CaseRef names a case: caseId is unique within its kind. */
export interface CaseRef {
  kind: Kind
  caseId: string
}

/** eventKey is the identity of an event as one string: source and id ("/" never occurs in a source code). */
export function eventKey(source: string, id: string): string {
  return `${source}/${id}`
}

/** caseRefKey is a case as one string, for maps. */
export function caseRefKey(kind: Kind, caseId: string): string {
  return `${kind}:${caseId}`
}

// One statement for a whole batch: the events travel as one JSON array, and only those
// not yet in event_ids reach events. The first of each (source, id) in the batch is kept
// here, not by a DISTINCT ON in the statement: sorting the rows by their keys was an
// eighth of the statement's time on PGlite.
const INSERT_EVENTS = `
WITH input AS MATERIALIZED (
  SELECT r.e->'ev' AS body, (r.e->>'at')::timestamptz AS at, (r.e->>'seq')::bigint AS seq
  FROM jsonb_array_elements($1::jsonb) AS r(e)
), fresh AS (
  INSERT INTO event_ids (source, id) SELECT body->>'source', body->>'id' FROM input
  ON CONFLICT DO NOTHING
  RETURNING source, id
)
INSERT INTO events (id, source, kind, type, case_id, dept, at, actor, attrs, body, seq)
SELECT i.body->>'id', i.body->>'source', i.body->>'kind', i.body->>'type', i.body->>'caseId', i.body->>'dept', i.at,
  i.body->>'actor', coalesce(i.body->'attrs', '{}'::jsonb), i.body, i.seq
FROM input i JOIN fresh f ON f.source = i.body->>'source' AND f.id = i.body->>'id'
RETURNING source, id`

/** firstOfEach keeps the first event of each (source, id), in order. */
function firstOfEach(events: readonly TimedEvent[]): TimedEvent[] {
  const seen = new Set<string>()
  const out: TimedEvent[] = []
  for (const te of events) {
    const key = eventKey(te.ev.source, te.ev.id)
    if (seen.has(key)) continue
    seen.add(key)
    out.push(te)
  }
  return out
}

function asJson(events: readonly TimedEvent[]): string {
  return JSON.stringify(events.map((te) => ({ ev: te.ev, at: new Date(te.t).toISOString(), seq: te.seq })))
}

/** insertEvents writes the events not stored yet, in one statement, and returns the keys (eventKey) of those it wrote. */
export async function insertEvents(tx: Queryable, events: readonly TimedEvent[]): Promise<Set<string>> {
  if (!events.length) return new Set()
  const r = await tx.query<{ source: string; id: string }>(INSERT_EVENTS, [asJson(firstOfEach(events))])
  return new Set(r.rows.map((x) => eventKey(x.source, x.id)))
}

/** storeEvent writes one event unless its (source, id) is known; returns true when it was new. */
export async function storeEvent(tx: Queryable, te: TimedEvent): Promise<boolean> {
  return (await insertEvents(tx, [te])).size > 0
}

/** StatusRow is the status of one case to record, with its department and latest event (null: none in this batch). */
export interface StatusRow {
  kind: Kind
  caseId: string
  dept: string
  status: CaseStatus
  /** the latest `at` among the case's events, when the batch had some */
  lastAt: number | null
}

/**
 * saveStatuses records, set-based, whether each case still has cards to come
 * (deadlines ahead, or a card due but not fired yet), so that a restart reloads it.
 * One row per case. A case with events in the batch is inserted or updated with its
 * latest `at`; one without (a card fired on a tick) is only updated.
 */
export async function saveStatuses(tx: Queryable, rows: readonly StatusRow[]): Promise<void> {
  const json = (list: readonly StatusRow[]) =>
    JSON.stringify(
      list.map((r) => ({
        kind: r.kind, case_id: r.caseId, dept: r.dept, open: r.status.open,
        next_due: r.status.nextDue === null ? null : new Date(r.status.nextDue).toISOString(),
        last_at: r.lastAt === null ? null : new Date(r.lastAt).toISOString(),
      })),
    )
  const withEvents = rows.filter((r) => r.lastAt !== null)
  const firedOnly = rows.filter((r) => r.lastAt === null)
  if (withEvents.length) {
    await tx.query(
      `INSERT INTO cases (kind, case_id, dept, open, next_due, last_at)
       SELECT kind, case_id, dept, open, next_due, last_at
       FROM jsonb_to_recordset($1::jsonb) AS r(kind text, case_id text, dept text, open boolean, next_due timestamptz, last_at timestamptz)
       ON CONFLICT (kind, case_id) DO UPDATE SET dept = EXCLUDED.dept, open = EXCLUDED.open, next_due = EXCLUDED.next_due,
         last_at = GREATEST(cases.last_at, EXCLUDED.last_at), updated_at = now()`,
      [json(withEvents)],
    )
  }
  if (firedOnly.length) {
    await tx.query(
      `UPDATE cases c SET open = r.open, next_due = r.next_due, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS r(kind text, case_id text, open boolean, next_due timestamptz)
       WHERE c.kind = r.kind AND c.case_id = r.case_id`,
      [json(firedOnly)],
    )
  }
}

/** saveStatus records one case's status (see saveStatuses). */
export async function saveStatus(tx: Queryable, kind: Kind, caseId: string, dept: string, status: CaseStatus, lastAt: number): Promise<void> {
  await saveStatuses(tx, [{ kind, caseId, dept, status, lastAt }])
}

/** updateStatus records a case's status after one of its cards fired, for a case the worker has stored already. */
export async function updateStatus(tx: Queryable, kind: Kind, caseId: string, status: CaseStatus): Promise<void> {
  await tx.query('UPDATE cases SET open = $3, next_due = $4, updated_at = now() WHERE kind = $1 AND case_id = $2', [
    kind, caseId, status.open, status.nextDue === null ? null : new Date(status.nextDue),
  ])
}

interface EventRow {
  body: CaseEvent
  at: Date
  seq: number
}

const toTimed = (row: EventRow): TimedEvent => ({ ev: row.body, t: row.at.getTime(), seq: Number(row.seq) })

/** loadCase reads one case's events in contract order. */
export async function loadCase(db: Queryable, kind: Kind, caseId: string): Promise<TimedEvent[]> {
  const r = await db.query<EventRow>('SELECT body, at, seq FROM events WHERE kind = $1 AND case_id = $2 ORDER BY at, seq', [kind, caseId])
  return r.rows.map(toTimed)
}

/**
 * loadCases reads the events of many cases with one query, each case's in contract
 * order; cases with none are absent. LATERAL … OFFSET 0 below: a probe of each index per
 * case asked, never a hash join over a whole table (cases, events), which the planner
 * picks for an array of a few thousand keys: at 200 000 cases that was a sequential scan
 * of 137 ms for every batch.
 */
export async function loadCases(db: Queryable, cases: readonly CaseRef[]): Promise<Map<string, TimedEvent[]>> {
  return loadEventsOf(db, cases, false)
}

/** loadRecordedCases is loadCases for the cases with a status row (cases) only; see the worker for when that is enough. */
export async function loadRecordedCases(db: Queryable, cases: readonly CaseRef[]): Promise<Map<string, TimedEvent[]>> {
  return loadEventsOf(db, cases, true)
}

async function loadEventsOf(db: Queryable, cases: readonly CaseRef[], recordedOnly: boolean): Promise<Map<string, TimedEvent[]>> {
  const out = new Map<string, TimedEvent[]>()
  if (!cases.length) return out
  const r = await db.query<EventRow>(
    `SELECT e.body, e.at, e.seq
     FROM (SELECT DISTINCT kind, case_id FROM unnest($1::text[], $2::text[]) AS w(kind, case_id)) w
     ${recordedOnly ? 'CROSS JOIN LATERAL (SELECT 1 FROM cases c WHERE c.kind = w.kind AND c.case_id = w.case_id OFFSET 0) c' : ''}
     CROSS JOIN LATERAL (SELECT body, at, seq FROM events e WHERE e.kind = w.kind AND e.case_id = w.case_id OFFSET 0) e
     ORDER BY w.kind, w.case_id, e.at, e.seq`,
    [cases.map((c) => c.kind), cases.map((c) => c.caseId)],
  )
  for (const row of r.rows) {
    const key = caseRefKey(row.body.kind, row.body.caseId)
    let list = out.get(key)
    if (!list) out.set(key, (list = []))
    list.push(toTimed(row))
  }
  return out
}

/** RegistrationWindow asks for one petitioner's registrations between two instants of event time (both included; `to` may be Infinity). */
export interface RegistrationWindow {
  petitionerId: string
  from: number
  to: number
}

/**
 * deptsSeen lists every department code the cases carry, with the instant of the
 * newest event of its cases: the admin page shows the codes the registry lacks.
 */
export async function deptsSeen(db: Queryable): Promise<Array<{ dept: string; lastAt: number }>> {
  const r = await db.query<{ dept: string; last_at: Date }>('SELECT dept, max(last_at) AS last_at FROM cases GROUP BY dept ORDER BY dept')
  return r.rows.map((x) => ({ dept: x.dept, lastAt: x.last_at.getTime() }))
}

/** registrationCases lists the petition cases with a registration by one of the petitioners inside its window. */
export async function registrationCases(db: Queryable, windows: readonly RegistrationWindow[]): Promise<CaseRef[]> {
  if (!windows.length) return []
  // A probe of the petitioner index per window (LATERAL … OFFSET 0), never a scan of every registration.
  const r = await db.query<{ case_id: string }>(
    `SELECT DISTINCT e.case_id FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS w(pid, lo, hi)
     CROSS JOIN LATERAL (
       SELECT e.case_id FROM events e
       WHERE e.kind = 'petition' AND e.type = 'registered' AND e.attrs->>'petitionerId' = w.pid AND e.at >= w.lo AND (w.hi IS NULL OR e.at <= w.hi)
       OFFSET 0) e`,
    [windows.map((w) => w.petitionerId), windows.map((w) => new Date(w.from)), windows.map((w) => (Number.isFinite(w.to) ? new Date(w.to) : null))],
  )
  return r.rows.map((x) => ({ kind: 'petition' as Kind, caseId: x.case_id }))
}

/** openCases lists the cases that still had cards to come when last saved. */
export async function openCases(db: Queryable): Promise<CaseRef[]> {
  const r = await db.query<{ kind: Kind; case_id: string }>('SELECT kind, case_id FROM cases WHERE open ORDER BY next_due NULLS LAST')
  return r.rows.map((x) => ({ kind: x.kind, caseId: x.case_id }))
}

/** knownEventIds returns those of a source's `ids` that are stored already, so the collector can answer "duplicate". */
export async function knownEventIds(db: Queryable, source: string, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set()
  const r = await db.query<{ id: string }>('SELECT id FROM event_ids WHERE source = $1 AND id = ANY($2)', [source, ids])
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

/** lastReceivedAt is when the platform last received an event (of one department, if given), or null when none: the wall's freshness. */
export async function lastReceivedAt(db: Queryable, dept?: string): Promise<number | null> {
  const r = dept
    ? await db.query<{ t: Date | null }>('SELECT max(received_at) AS t FROM events WHERE dept = $1', [dept])
    : await db.query<{ t: Date | null }>('SELECT max(received_at) AS t FROM events')
  return r.rows[0]?.t ? r.rows[0].t.getTime() : null
}

/** eventsPerMinute counts the events received in each minute from `since` (wall time), oldest first; minutes without any are absent. */
export async function eventsPerMinute(db: Queryable, since: number, dept?: string): Promise<Array<{ minute: number; events: number }>> {
  const r = await db.query<{ m: Date; n: string | number }>(
    `SELECT date_trunc('minute', received_at) AS m, count(*) AS n FROM events
     WHERE received_at >= $1 AND ($2::text IS NULL OR dept = $2) GROUP BY 1 ORDER BY 1`,
    [new Date(since), dept ?? null],
  )
  return r.rows.map((x) => ({ minute: x.m.getTime(), events: Number(x.n) }))
}

// ---- Facts for decision support (辅助决策, dashboard/server/kpi/reform.ts) ----------------

/** SuspensionFact is one `suspended` event: its case, its department and its instant. */
export interface SuspensionFact {
  kind: Kind
  caseId: string
  dept: string
  at: number
}

/** suspensionsBetween lists the suspensions (`suspended` events) whose `at` lies in [from, to), oldest first. */
export async function suspensionsBetween(db: Queryable, from: number, to: number): Promise<SuspensionFact[]> {
  const r = await db.query<{ kind: Kind; case_id: string; dept: string; at: Date }>(
    `SELECT kind, case_id, dept, at FROM events WHERE type = 'suspended' AND at >= $1 AND at < $2 ORDER BY at, seq`,
    [new Date(from), new Date(to)],
  )
  return r.rows.map((x) => ({ kind: x.kind, caseId: x.case_id, dept: x.dept, at: x.at.getTime() }))
}

/** CaseMark is one event of a case as decision support reads it: its id, type, instant and arrival. */
export interface CaseMark {
  id: string
  type: string
  at: number
  seq: number
}

/**
 * eventsOfTypes lists each case's events of these types, by caseRefKey, in contract
 * order (by `at`, then arrival), with one query: one pass over the events of the cases,
 * where a lookup per case and instant would probe every chunk of a hypertable.
 */
export async function eventsOfTypes(db: Queryable, cases: readonly CaseRef[], types: readonly string[]): Promise<Map<string, CaseMark[]>> {
  const out = new Map<string, CaseMark[]>()
  if (!cases.length || !types.length) return out
  const r = await db.query<{ kind: Kind; case_id: string; id: string; type: string; at: Date; seq: string | number }>(
    `SELECT e.kind, e.case_id, e.id, e.type, e.at, e.seq FROM events e
     JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS w(kind, case_id)) w ON e.kind = w.kind AND e.case_id = w.case_id
     WHERE e.type = ANY($3::text[])
     ORDER BY e.kind, e.case_id, e.at, e.seq`,
    [cases.map((c) => c.kind), cases.map((c) => c.caseId), types],
  )
  for (const x of r.rows) {
    const key = caseRefKey(x.kind, x.case_id)
    let list = out.get(key)
    if (!list) out.set(key, (list = []))
    list.push({ id: x.id, type: x.type, at: x.at.getTime(), seq: Number(x.seq) })
  }
  return out
}

/** CaseItem is the item (事项) a case is about: the first `itemCode` its events name, and the first `itemName`. */
export interface CaseItem {
  code: string
  name: string | null
}

/** itemsOf gives the item of each of these cases that names one, by caseRefKey, with one query. */
export async function itemsOf(db: Queryable, cases: readonly CaseRef[]): Promise<Map<string, CaseItem>> {
  const out = new Map<string, CaseItem>()
  if (!cases.length) return out
  const r = await db.query<{ kind: Kind; case_id: string; code: string | null; name: string | null }>(
    `SELECT e.kind, e.case_id,
       (array_agg(e.attrs->>'itemCode' ORDER BY e.at, e.seq) FILTER (WHERE jsonb_typeof(e.attrs->'itemCode') = 'string'))[1] AS code,
       (array_agg(e.attrs->>'itemName' ORDER BY e.at, e.seq) FILTER (WHERE jsonb_typeof(e.attrs->'itemName') = 'string'))[1] AS name
     FROM events e
     JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS w(kind, case_id)) w ON e.kind = w.kind AND e.case_id = w.case_id
     GROUP BY e.kind, e.case_id`,
    [cases.map((c) => c.kind), cases.map((c) => c.caseId)],
  )
  for (const x of r.rows) if (x.code !== null) out.set(caseRefKey(x.kind, x.case_id), { code: x.code, name: x.name })
  return out
}
