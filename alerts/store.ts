/**
 * The alert store: each card is stored once per key (rule, level, case), however
 * often it is delivered, and each first storing is appended to the alert_events
 * time series that the KPIs aggregate.
 */
import type { Alert, CardMessage, Kind, Level } from '../common/contract/index.ts'
import type { Queryable } from '../common/db/index.ts'

/** CardNote is what an inspector wrote on a card they raised by hand (主动巡检). */
export type CardNote = NonNullable<CardMessage['note']>

/** StoredAlert is a card as stored, with its handling status. */
export interface StoredAlert extends Alert {
  raisedAt: string
  status: string
  /** only on cards an inspector raised by hand */
  note?: CardNote
}

/**
 * saveAlert stores a card unless its key exists; a withdrawn card raised again (its
 * instant moved) is reopened. Returns true when something changed.
 */
export async function saveAlert(tx: Queryable, a: Alert & { note?: CardNote }, raisedAt: number): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO alerts (key, rule, level, kind, case_id, dept, at, raised_at, causes, settings_version, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (key) DO UPDATE SET at = EXCLUDED.at, raised_at = EXCLUDED.raised_at, causes = EXCLUDED.causes,
       settings_version = EXCLUDED.settings_version, note = EXCLUDED.note, status = 'open', withdrawn_by = NULL, withdrawn_at = NULL
     WHERE alerts.status = 'withdrawn'
     RETURNING key`,
    [
      a.key, a.rule, a.level, a.kind, a.caseId, a.dept, new Date(Date.parse(a.at)), new Date(raisedAt), JSON.stringify(a.causes), a.settingsVersion,
      a.note ? JSON.stringify({ reason: a.note.reason, by: a.note.by }) : null,
    ],
  )
  if (!r.rowCount) return false
  await tx.query('INSERT INTO alert_events (time, alert_key, dept, level, rule) VALUES ($1, $2, $3, $4, $5)', [
    new Date(Date.parse(a.at)), a.key, a.dept, a.level, a.rule,
  ])
  return true
}

/**
 * withdrawAlert marks a card withdrawn because a late event disproved it; only the card
 * as raised at that instant, and only once. Returns true when it changed.
 */
export async function withdrawAlert(tx: Queryable, a: Alert, by: string, now: number): Promise<boolean> {
  const r = await tx.query(
    `UPDATE alerts SET status = 'withdrawn', withdrawn_by = $2, withdrawn_at = $3
     WHERE key = $1 AND at = $4 AND status <> 'withdrawn' RETURNING key`,
    [a.key, by, new Date(now), new Date(Date.parse(a.at))],
  )
  return r.rowCount > 0
}

/** AlertRow is a row of the alerts table as queried with ALERT_COLUMNS. */
export interface AlertRow {
  key: string
  rule: string
  level: Level
  kind: Kind | null
  case_id: string
  dept: string
  at: Date
  raised_at: Date
  causes: string[]
  settings_version: string
  status: string
  note: CardNote | null
}

/** ALERT_COLUMNS are the columns alertFromRow reads. */
export const ALERT_COLUMNS = 'key, rule, level, kind, case_id, dept, at, raised_at, causes, settings_version, status, note'

/** recentAlerts returns the newest cards by `at` that stand (not withdrawn), at most `limit`. */
export async function recentAlerts(db: Queryable, limit: number, format: (t: number) => string, dept?: string): Promise<StoredAlert[]> {
  const r = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE status <> 'withdrawn' AND ($2::text IS NULL OR dept = $2) ORDER BY at DESC, key LIMIT $1`,
    [limit, dept ?? null],
  )
  return r.rows.map((row) => alertFromRow(row, format))
}

/** alertByKey returns one card, or null. */
export async function alertByKey(db: Queryable, key: string, format: (t: number) => string): Promise<StoredAlert | null> {
  const r = await db.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE key = $1`, [key])
  return r.rows[0] ? alertFromRow(r.rows[0], format) : null
}

/** openTallies counts open cards by department and level; given dept, that department's only. */
export async function openTallies(db: Queryable, dept?: string): Promise<Array<{ dept: string; yellow: number; red: number }>> {
  const r = await db.query<{ dept: string; yellow: number; red: number }>(
    `SELECT dept, count(*) FILTER (WHERE level = 'yellow') AS yellow, count(*) FILTER (WHERE level = 'red') AS red
     FROM alerts WHERE status = 'open' AND ($1::text IS NULL OR dept = $1) GROUP BY dept ORDER BY dept`,
    [dept ?? null],
  )
  return r.rows.map((x) => ({ dept: x.dept, yellow: Number(x.yellow), red: Number(x.red) }))
}

/** cardsOf lists the cards of one case that stand (not withdrawn), with their instants: what the rules worker raised for it. */
export async function cardsOf(db: Queryable, kind: Kind, caseId: string): Promise<Array<{ rule: string; level: Level; at: number }>> {
  const r = await db.query<{ rule: string; level: Level; at: Date }>(
    "SELECT rule, level, at FROM alerts WHERE kind = $1 AND case_id = $2 AND status <> 'withdrawn'",
    [kind, caseId],
  )
  return r.rows.map((x) => ({ rule: x.rule, level: x.level, at: x.at.getTime() }))
}

/** cardsOfCases is cardsOf for many cases with one query, by `kind:caseId`; a case with no card is absent. */
export async function cardsOfCases(db: Queryable, cases: ReadonlyArray<{ kind: Kind; caseId: string }>): Promise<Map<string, Array<{ rule: string; level: Level; at: number }>>> {
  const out = new Map<string, Array<{ rule: string; level: Level; at: number }>>()
  if (!cases.length) return out
  const r = await db.query<{ kind: Kind; case_id: string; rule: string; level: Level; at: Date }>(
    `SELECT a.kind, a.case_id, a.rule, a.level, a.at FROM alerts a
     JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS w(kind, case_id)) w ON a.kind = w.kind AND a.case_id = w.case_id
     WHERE a.status <> 'withdrawn'`,
    [cases.map((c) => c.kind), cases.map((c) => c.caseId)],
  )
  for (const x of r.rows) {
    const key = `${x.kind}:${x.case_id}`
    let list = out.get(key)
    if (!list) out.set(key, (list = []))
    list.push({ rule: x.rule, level: x.level, at: x.at.getTime() })
  }
  return out
}

/** alertFromRow turns a row into a StoredAlert, instants in the platform zone. */
export function alertFromRow(row: AlertRow, format: (t: number) => string): StoredAlert {
  const a: StoredAlert = {
    key: row.key,
    rule: row.rule,
    level: row.level,
    kind: row.kind,
    caseId: row.case_id,
    dept: row.dept,
    at: format(row.at.getTime()),
    causes: row.causes,
    settingsVersion: row.settings_version,
    raisedAt: format(row.raised_at.getTime()),
    status: row.status,
  }
  if (row.note) a.note = { reason: row.note.reason, by: row.note.by }
  return a
}
