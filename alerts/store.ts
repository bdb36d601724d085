/**
 * The alert store, the one owner of the tables `alerts` and `alert_events`: each card
 * is stored once per key (rule, level, case), however often it is delivered, and each
 * first storing is appended to the alert_events time series that the KPIs aggregate.
 * Everything else that reads cards (threads, flags, the notifier's sweep, the walls
 * and the consoles' list) asks here.
 */
import type { Alert, CardMessage, Kind, Level, WallScope } from '../common/contract/index.ts'
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

/** recentAlerts returns the cards raised last that stand (not withdrawn), at most `limit`: the wall's feed leads with what is new to the platform, whatever the event's instant. */
export async function recentAlerts(db: Queryable, limit: number, format: (t: number) => string, dept?: string): Promise<StoredAlert[]> {
  const r = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE status <> 'withdrawn' AND ($2::text IS NULL OR dept = $2) ORDER BY raised_at DESC, key LIMIT $1`,
    [limit, dept ?? null],
  )
  return r.rows.map((row) => alertFromRow(row, format))
}

/** alertByKey returns one card, or null. */
export async function alertByKey(db: Queryable, key: string, format: (t: number) => string): Promise<StoredAlert | null> {
  const r = await db.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE key = $1`, [key])
  return r.rows[0] ? alertFromRow(r.rows[0], format) : null
}

/** alertsByKeys returns the cards of these keys that are stored, by key, with one query. */
export async function alertsByKeys(db: Queryable, keys: readonly string[], format: (t: number) => string): Promise<Map<string, StoredAlert>> {
  if (!keys.length) return new Map()
  const r = await db.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE key = ANY($1::text[])`, [keys])
  return new Map(r.rows.map((row) => [row.key, alertFromRow(row, format)]))
}

/** alertsOfCase returns the cards of one case, withdrawn ones too (their status says so), newest first, at most `limit`. */
export async function alertsOfCase(db: Queryable, kind: Kind, caseId: string, limit: number, format: (t: number) => string): Promise<StoredAlert[]> {
  const r = await db.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE kind = $1 AND case_id = $2 ORDER BY at DESC, key DESC LIMIT $3`, [kind, caseId, limit])
  return r.rows.map((row) => alertFromRow(row, format))
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

/** PeriodCard is a standing card of a case, as decision support reads it (辅助决策). */
export interface PeriodCard {
  kind: Kind
  caseId: string
  dept: string
  rule: string
  level: Level
  at: number
  causes: string[]
}

/**
 * cardsBetween lists the cards of cases that stand (not withdrawn) and fired in
 * [from, to), oldest first: the rules' cards and inspectors' flags, not the platform's
 * own (no case: source.silent, calendar.uncovered).
 */
export async function cardsBetween(db: Queryable, from: number, to: number): Promise<PeriodCard[]> {
  const r = await db.query<{ kind: Kind; case_id: string; dept: string; rule: string; level: Level; at: Date; causes: string[] }>(
    `SELECT kind, case_id, dept, rule, level, at, causes FROM alerts
     WHERE at >= $1 AND at < $2 AND status <> 'withdrawn' AND kind IS NOT NULL ORDER BY at, key`,
    [new Date(from), new Date(to)],
  )
  return r.rows.map((x) => ({ kind: x.kind, caseId: x.case_id, dept: x.dept, rule: x.rule, level: x.level, at: x.at.getTime(), causes: x.causes }))
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

/** isStanding tells whether a card with this key is stored and not withdrawn. */
export async function isStanding(db: Queryable, key: string): Promise<boolean> {
  const r = await db.query("SELECT 1 FROM alerts WHERE key = $1 AND status <> 'withdrawn'", [key])
  return r.rows.length > 0
}

/** standingLevels returns the key and level of each of the cards that stands (is not withdrawn). */
export async function standingLevels(db: Queryable, keys: readonly string[]): Promise<Array<{ key: string; level: Level }>> {
  if (keys.length === 0) return []
  const r = await db.query<{ key: string; level: Level }>(`SELECT key, level FROM alerts WHERE key = ANY($1) AND status <> 'withdrawn'`, [keys])
  return r.rows
}

/** CardPosition is where a page of openCardsSince ends: the last card's instant and key. */
export interface CardPosition {
  at: string
  key: string
}

/**
 * openCardsSince returns open cards raised at or after `since` as the stream carried
 * them, oldest `at` first, at most `limit`, continuing after `after` (the previous
 * page's last card).
 */
export async function openCardsSince(db: Queryable, since: number, limit: number, after?: CardPosition): Promise<CardMessage[]> {
  const r = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alerts
     WHERE status = 'open' AND raised_at >= $1 AND ($3::timestamptz IS NULL OR (at, key) > ($3, $4))
     ORDER BY at, key LIMIT $2`,
    [new Date(since), limit, after ? new Date(Date.parse(after.at)) : null, after?.key ?? null],
  )
  return r.rows.map((x) => ({
    key: x.key, rule: x.rule, level: x.level, kind: x.kind, caseId: x.case_id, dept: x.dept, at: x.at.toISOString(), causes: x.causes, settingsVersion: x.settings_version,
  }))
}

/** AlertFilter narrows listAlerts; absent fields do not filter. */
export interface AlertFilter {
  dept?: string
  level?: Level
  /** absent: every card that stands (not withdrawn) */
  status?: string
  rule?: string
  limit: number
  /** only cards strictly older than this position, from a previous page's `next` */
  before?: { at: Date; key?: string }
}

/** AlertPage is one page and the cursor of the next, null on the last page. */
export interface AlertPage {
  alerts: StoredAlert[]
  next: string | null
}

/**
 * listAlerts reads one page of cards within a scope, newest first, paged by an
 * (at, key) cursor. The scope is part of the query, not a filter applied afterwards,
 * so a page is never short and never holds another department's cards.
 */
export async function listAlerts(db: Queryable, scope: WallScope, f: AlertFilter, format: (t: number) => string): Promise<AlertPage> {
  const where: string[] = []
  const params: unknown[] = []
  const add = (sql: (p: string) => string, v: unknown) => {
    params.push(v)
    where.push(sql(`$${params.length}`))
  }
  if ('dept' in scope) add((p) => `dept = ${p}`, scope.dept)
  if (f.dept !== undefined) add((p) => `dept = ${p}`, f.dept)
  if (f.level !== undefined) add((p) => `level = ${p}`, f.level)
  if (f.status !== undefined) add((p) => `status = ${p}`, f.status)
  else where.push(`status <> 'withdrawn'`)
  if (f.rule !== undefined) add((p) => `rule = ${p}`, f.rule)
  if (f.before?.key !== undefined) {
    params.push(f.before.at, f.before.key)
    where.push(`(at, key) < ($${params.length - 1}, $${params.length})`)
  } else if (f.before) add((p) => `at < ${p}`, f.before.at)
  params.push(f.limit)
  const r = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS}
     FROM alerts WHERE ${where.join(' AND ')} ORDER BY at DESC, key DESC LIMIT $${params.length}`,
    params,
  )
  const last = r.rows.at(-1)
  return {
    alerts: r.rows.map((row) => alertFromRow(row, format)),
    next: last && r.rows.length === f.limit ? cursorOf(last.at, last.key) : null,
  }
}

/** cursorOf is the `before` value that continues after a card: `<instant>|<key>`. */
export function cursorOf(at: Date, key: string): string {
  return `${at.toISOString()}|${key}`
}

/** parseCursor reads `before`: a cursor from `next`, or a bare RFC 3339 instant; null if neither. */
export function parseCursor(s: string): { at: Date; key?: string } | null {
  const i = s.indexOf('|')
  const instant = i < 0 ? s : s.slice(0, i)
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(instant)) return null
  const at = new Date(instant)
  if (Number.isNaN(at.getTime())) return null
  return i < 0 ? { at } : { at, key: s.slice(i + 1) }
}
