/**
 * The alert store: each card is stored once per key (rule, level, case), however
 * often it is delivered, and each first storing is appended to the alert_events
 * time series that the KPIs aggregate.
 */
import type { Alert, Level } from '../common/contract/alert.ts'
import type { Kind } from '../common/contract/event.ts'
import type { Queryable } from '../common/db/db.ts'

/** StoredAlert is a card as stored, with its handling status. */
export interface StoredAlert extends Alert {
  raisedAt: string
  status: string
}

/** saveAlert stores a card unless its key exists; returns the stored card when it was new. */
export async function saveAlert(tx: Queryable, a: Alert, raisedAt: number): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO alerts (key, rule, level, kind, case_id, dept, at, raised_at, causes, settings_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (key) DO NOTHING RETURNING key`,
    [a.key, a.rule, a.level, a.kind, a.caseId, a.dept, new Date(Date.parse(a.at)), new Date(raisedAt), JSON.stringify(a.causes), a.settingsVersion],
  )
  if (!r.rowCount) return false
  await tx.query('INSERT INTO alert_events (time, alert_key, dept, level, rule) VALUES ($1, $2, $3, $4, $5)', [
    new Date(Date.parse(a.at)), a.key, a.dept, a.level, a.rule,
  ])
  return true
}

interface AlertRow {
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
}

const COLUMNS = 'key, rule, level, kind, case_id, dept, at, raised_at, causes, settings_version, status'

/** recentAlerts returns the newest cards by `at`, at most `limit`. */
export async function recentAlerts(db: Queryable, limit: number, format: (t: number) => string): Promise<StoredAlert[]> {
  const r = await db.query<AlertRow>(`SELECT ${COLUMNS} FROM alerts ORDER BY at DESC, key LIMIT $1`, [limit])
  return r.rows.map((row) => fromRow(row, format))
}

/** alertByKey returns one card, or null. */
export async function alertByKey(db: Queryable, key: string, format: (t: number) => string): Promise<StoredAlert | null> {
  const r = await db.query<AlertRow>(`SELECT ${COLUMNS} FROM alerts WHERE key = $1`, [key])
  return r.rows[0] ? fromRow(r.rows[0], format) : null
}

/** openTallies counts open cards by department and level. */
export async function openTallies(db: Queryable): Promise<Array<{ dept: string; yellow: number; red: number }>> {
  const r = await db.query<{ dept: string; yellow: number; red: number }>(
    `SELECT dept, count(*) FILTER (WHERE level = 'yellow') AS yellow, count(*) FILTER (WHERE level = 'red') AS red
     FROM alerts WHERE status = 'open' GROUP BY dept ORDER BY dept`,
  )
  return r.rows.map((x) => ({ dept: x.dept, yellow: Number(x.yellow), red: Number(x.red) }))
}

function fromRow(row: AlertRow, format: (t: number) => string): StoredAlert {
  return {
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
}
