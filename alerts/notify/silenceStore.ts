/**
 * The silence store (table `silences`, migrations/012_notify.sql). A silence is
 * checked before it is stored: a reason worth reading, a bounded window, at least
 * one matcher. Expiring one ends it now; one that has not started yet is cancelled.
 */
import type { Queryable } from '../../common/db/index.ts'
import type { Silence } from './silences.ts'

/** MIN_REASON is the shortest reason accepted, in characters after trimming. */
export const MIN_REASON = 4
/** MAX_REASON is the longest reason accepted. */
export const MAX_REASON = 500
/** MAX_SILENCE_MS is the longest window a silence may cover: 30 days. */
export const MAX_SILENCE_MS = 30 * 86_400_000
const MAX_MATCHER = 100
const MAX_AUTHOR = 100

/** SilenceInput is a silence as an inspector asks for it; instants are epoch ms. */
export interface SilenceInput {
  rule?: string | null
  dept?: string | null
  startsAt: number
  endsAt: number
  reason: string
  createdBy: string
}

/** SilenceError is a silence that cannot be stored; `field` names the bad input. */
export class SilenceError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
    this.name = 'SilenceError'
  }
}

function matcher(v: string | null | undefined, field: string): string | null {
  const s = v?.trim() ?? ''
  if (s.length > MAX_MATCHER) throw new SilenceError(field, `${field} is longer than ${MAX_MATCHER} characters`)
  return s === '' ? null : s
}

/** validateSilence checks a request and returns it trimmed; it throws a SilenceError naming the first bad field. */
export function validateSilence(input: SilenceInput, now: number): Omit<Silence, 'id' | 'createdAt'> {
  const rule = matcher(input.rule, 'rule')
  const dept = matcher(input.dept, 'dept')
  if (rule === null && dept === null) throw new SilenceError('rule', 'a silence needs a rule, a department or both')
  const { startsAt, endsAt } = input
  if (!Number.isFinite(startsAt)) throw new SilenceError('startsAt', 'startsAt is not an instant')
  if (!Number.isFinite(endsAt)) throw new SilenceError('endsAt', 'endsAt is not an instant')
  if (endsAt <= startsAt) throw new SilenceError('endsAt', 'endsAt must be after startsAt')
  if (endsAt - startsAt > MAX_SILENCE_MS) throw new SilenceError('endsAt', 'a silence may last 30 days at most')
  if (endsAt <= now) throw new SilenceError('endsAt', 'the silence would already be over')
  const reason = input.reason?.trim() ?? ''
  if (reason.length < MIN_REASON) throw new SilenceError('reason', `the reason needs at least ${MIN_REASON} characters`)
  if (reason.length > MAX_REASON) throw new SilenceError('reason', `the reason is longer than ${MAX_REASON} characters`)
  const createdBy = input.createdBy?.trim() ?? ''
  if (createdBy === '' || createdBy.length > MAX_AUTHOR) throw new SilenceError('createdBy', 'who creates the silence must be named')
  return { rule, dept, startsAt, endsAt, reason, createdBy }
}

interface Row {
  id: number | bigint
  rule: string | null
  dept: string | null
  starts_at: Date
  ends_at: Date
  reason: string
  created_by: string
  created_at: Date
}

const COLUMNS = 'id, rule, dept, starts_at, ends_at, reason, created_by, created_at'

function fromRow(r: Row): Silence {
  return {
    id: String(r.id),
    rule: r.rule,
    dept: r.dept,
    startsAt: r.starts_at.getTime(),
    endsAt: r.ends_at.getTime(),
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at.getTime(),
  }
}

/** createSilence validates and stores a silence created at now, and returns it with its id. */
export async function createSilence(db: Queryable, input: SilenceInput, now: number): Promise<Silence> {
  const s = validateSilence(input, now)
  const r = await db.query<Row>(
    `INSERT INTO silences (rule, dept, starts_at, ends_at, reason, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [s.rule, s.dept, new Date(s.startsAt), new Date(s.endsAt), s.reason, s.createdBy, new Date(now)],
  )
  return fromRow(r.rows[0]!)
}

/** activeSilences returns the silences in force at now, oldest first. */
export async function activeSilences(db: Queryable, now: number): Promise<Silence[]> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM silences WHERE starts_at <= $1 AND ends_at > $1 ORDER BY id`, [new Date(now)])
  return r.rows.map(fromRow)
}

/** silencesSince returns the silences in force at or after `since` (active and upcoming), for the inspectors' view. */
export async function silencesSince(db: Queryable, since: number): Promise<Silence[]> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM silences WHERE ends_at > $1 ORDER BY starts_at, id`, [new Date(since)])
  return r.rows.map(fromRow)
}

/**
 * expireSilence ends a silence at now. One in force gets ends_at = now; one that has
 * not started is deleted, as it never muted anything. Returns what happened, or null
 * when there is no such silence still to come or in force.
 */
export async function expireSilence(db: Queryable, id: string, now: number): Promise<'expired' | 'cancelled' | null> {
  if (!/^\d{1,18}$/.test(id)) return null
  const at = new Date(now)
  const ended = await db.query('UPDATE silences SET ends_at = $2 WHERE id = $1 AND starts_at < $2 AND ends_at > $2 RETURNING id', [id, at])
  if (ended.rowCount > 0) return 'expired'
  const gone = await db.query('DELETE FROM silences WHERE id = $1 AND starts_at >= $2 RETURNING id', [id, at])
  return gone.rowCount > 0 ? 'cancelled' : null
}
