/**
 * The consoles' alert list: filtered, newest first, paged by an (at, key) cursor, and
 * always within the reader's scope. The scope is part of the query, not a filter
 * applied afterwards, so a page is never short and never holds another's cards.
 */
import { ALERT_COLUMNS, alertFromRow, type AlertRow, type StoredAlert } from '../../alerts/index.ts'
import type { Level } from '../../common/contract/index.ts'
import type { Queryable } from '../../common/db/index.ts'
import type { AlertScope } from '../../accounts/index.ts'

/** AlertFilter narrows the list; absent fields do not filter. */
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

/** listAlerts reads one page of cards within a scope. */
export async function listAlerts(db: Queryable, scope: AlertScope, f: AlertFilter, format: (t: number) => string): Promise<AlertPage> {
  if ('none' in scope) return { alerts: [], next: null }
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

