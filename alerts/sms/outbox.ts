/**
 * The SMS outbox table: messages are enqueued in the transaction that decides them,
 * and every later change of a row is a conditional update, so that the sender, a
 * restarted sender and Twilio's status callbacks can race without losing a state.
 */
import type { Queryable } from '../../common/db/index.ts'

/** OutboxStatus is a row's state; see migrations/011_sms_outbox.sql. */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'delivered' | 'undelivered'

/** OutboxMessage is one outbox row. */
export interface OutboxMessage {
  id: number
  ref: string
  recipient: string
  body: string
  status: OutboxStatus
  attempts: number
  nextAttemptAt: Date | null
  twilioSid: string | null
  error: string | null
  createdAt: Date
  updatedAt: Date
  /** the department the message is about; null on rows older than migration 014 */
  dept: string | null
}

/** Claimed is a row taken for an attempt, with the status it had: `sending` means look before sending. */
export interface Claimed extends OutboxMessage {
  was: 'pending' | 'sending'
}

/**
 * RANK orders states so that a late report never moves a row back: a callback saying
 * "sent" after one saying "delivered" is ignored. Final states share the top rank.
 */
export const RANK: Record<OutboxStatus, number> = { pending: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 }

const columns = (t = 'sms_outbox') =>
  `${t}.id, ${t}.ref, ${t}.recipient, ${t}.body, ${t}.status, ${t}.attempts, ${t}.next_attempt_at AS "nextAttemptAt",
   ${t}.twilio_sid AS "twilioSid", ${t}.error, ${t}.created_at AS "createdAt", ${t}.updated_at AS "updatedAt", ${t}.dept`
const RANK_SQL = `CASE status ${Object.entries(RANK).map(([s, r]) => `WHEN '${s}' THEN ${r}`).join(' ')} END`

/**
 * enqueue adds a message for recipient unless one with the same ref exists; returns
 * the new row's id, or null when it was there already. `dept` is the department it
 * is about, for scoped reading.
 */
export async function enqueue(tx: Queryable, ref: string, recipient: string, body: string, dept?: string): Promise<number | null> {
  const r = await tx.query<{ id: number }>(
    'INSERT INTO sms_outbox (ref, recipient, body, dept) VALUES ($1, $2, $3, $4) ON CONFLICT (ref, recipient) DO NOTHING RETURNING id',
    [ref, recipient, body, dept ?? null],
  )
  return r.rows[0]?.id ?? null
}

/**
 * claimNext takes the oldest due row (pending or sending, next_attempt_at passed),
 * marks it `sending` with one more attempt and leases it until leaseUntil: a sender
 * that dies holding it leaves it due again then, still `sending`.
 */
export async function claimNext(q: Queryable, now: Date, leaseUntil: Date): Promise<Claimed | null> {
  const r = await q.query<Claimed>(
    `UPDATE sms_outbox o SET status = 'sending', attempts = o.attempts + 1, next_attempt_at = $2, updated_at = now()
     FROM (SELECT id, status AS was FROM sms_outbox
           WHERE status IN ('pending', 'sending') AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
           ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) d
     WHERE o.id = d.id
     RETURNING ${columns('o')}, d.was`,
    [now, leaseUntil],
  )
  return r.rows[0] ?? null
}

/** recordSent keeps the provider's id; the row becomes `sent` unless a callback already moved it further. */
export async function recordSent(q: Queryable, id: number, sid: string): Promise<void> {
  await q.query(
    `UPDATE sms_outbox SET twilio_sid = $2, error = NULL, next_attempt_at = NULL, updated_at = now(),
       status = CASE WHEN status IN ('pending', 'sending') THEN 'sent' ELSE status END
     WHERE id = $1`,
    [id, sid],
  )
}

/** scheduleRetry puts a row being sent back in the queue at `at`: `pending` if the provider surely lacks it, else `sending`. */
export async function scheduleRetry(q: Queryable, id: number, status: 'pending' | 'sending', at: Date, error: string): Promise<void> {
  await q.query(
    `UPDATE sms_outbox SET status = $2, next_attempt_at = $3, error = $4, updated_at = now()
     WHERE id = $1 AND status = 'sending'`,
    [id, status, at, error],
  )
}

/** recordFailed stops a row being sent: it will not be tried again. */
export async function recordFailed(q: Queryable, id: number, error: string): Promise<void> {
  await q.query(
    `UPDATE sms_outbox SET status = 'failed', next_attempt_at = NULL, error = $2, updated_at = now()
     WHERE id = $1 AND status = 'sending'`,
    [id, error],
  )
}

/** DeliveryReport is one status callback: the message's SID, the outbox id from the callback URL if any, the new state. */
export interface DeliveryReport {
  sid: string
  id?: number
  status: 'sent' | 'delivered' | 'undelivered' | 'failed'
  error?: string
}

/**
 * applyDeliveryReport moves the row of a report forward, never back. The outbox id
 * finds a row whose SID is not recorded yet (the callback can beat the sender's own
 * update). Returns true when the row changed.
 */
export async function applyDeliveryReport(q: Queryable, r: DeliveryReport): Promise<number | null> {
  const res = await q.query<{ id: number }>(
    `UPDATE sms_outbox SET status = $3, twilio_sid = $1, error = COALESCE($4, error), next_attempt_at = NULL, updated_at = now()
     WHERE (twilio_sid = $1 OR (id = $2 AND twilio_sid IS NULL)) AND ${RANK_SQL} < $5
     RETURNING id`,
    [r.sid, r.id ?? null, r.status, r.error ?? null, RANK[r.status]],
  )
  return res.rows[0]?.id ?? null
}

/** failedMessages lists, newest first, the messages that did not reach their recipient: failed or undelivered. */
export async function failedMessages(q: Queryable, limit = 100): Promise<OutboxMessage[]> {
  const r = await q.query<OutboxMessage>(
    `SELECT ${columns()} FROM sms_outbox WHERE status IN ('failed', 'undelivered') ORDER BY updated_at DESC, id DESC LIMIT $1`,
    [limit],
  )
  return r.rows
}

/** messagesByIds returns the rows with these ids, in id order. */
export async function messagesByIds(q: Queryable, ids: readonly number[]): Promise<OutboxMessage[]> {
  const r = await q.query<OutboxMessage>(`SELECT ${columns()} FROM sms_outbox WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids])
  return r.rows
}

/**
 * recentMessages lists the newest rows first, at most `limit`; given dept, that
 * department's only (rows of no department are left out then).
 */
export async function recentMessages(q: Queryable, limit: number, dept?: string): Promise<OutboxMessage[]> {
  const r = await q.query<OutboxMessage>(
    `SELECT ${columns()} FROM sms_outbox WHERE $2::text IS NULL OR dept = $2 ORDER BY id DESC LIMIT $1`,
    [limit, dept ?? null],
  )
  return r.rows
}

/** outboxMessages lists rows by ref (all refs when omitted), oldest first. */
export async function outboxMessages(q: Queryable, ref?: string): Promise<OutboxMessage[]> {
  const r = await q.query<OutboxMessage>(
    `SELECT ${columns()} FROM sms_outbox WHERE $1::text IS NULL OR ref = $1 ORDER BY id`,
    [ref ?? null],
  )
  return r.rows
}
