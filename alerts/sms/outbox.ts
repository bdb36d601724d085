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
 * claimDue takes up to `limit` of the oldest due rows (pending or sending,
 * next_attempt_at passed), marks each `sending` with one more attempt and leases it
 * until leaseUntil: a sender that dies holding them leaves them due again then, still
 * `sending`. Rows another sender holds are skipped, not waited for, so several
 * processes share one outbox. The claim commits on its own, before anything is sent.
 */
export async function claimDue(q: Queryable, now: Date, leaseUntil: Date, limit: number): Promise<Claimed[]> {
  const r = await q.query<Claimed>(
    `UPDATE sms_outbox o SET status = 'sending', attempts = o.attempts + 1, next_attempt_at = $2, updated_at = now()
     FROM (SELECT id, status AS was FROM sms_outbox
           WHERE status IN ('pending', 'sending') AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
           ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) d
     WHERE o.id = d.id
     RETURNING ${columns('o')}, d.was`,
    [now, leaseUntil, limit],
  )
  return r.rows.sort((a, b) => Number(a.id) - Number(b.id))
}

/**
 * Attempted is what became of a claimed row:
 * `sent` — the provider has it (its id kept; the row becomes `sent` unless a callback moved it further);
 * `retry` — back in the queue at `at`: `pending` if the provider surely lacks it, else `sending` (look first);
 * `failed` — given up, not tried again;
 * `released` — claimed but not attempted (the sender stopped): as it was, the attempt not counted.
 */
export type Attempted =
  | { id: number; result: 'sent'; sid: string }
  | { id: number; result: 'retry'; status: 'pending' | 'sending'; at: Date; error: string }
  | { id: number; result: 'failed'; error: string }
  | { id: number; result: 'released'; was: 'pending' | 'sending' }

/**
 * recordAttempts writes what became of a batch of claimed rows, one statement per
 * kind of result. Every change but `sent` applies only to a row still `sending`, so
 * a delivery report that came first is never undone.
 */
export async function recordAttempts(q: Queryable, list: readonly Attempted[]): Promise<void> {
  const of = <K extends Attempted['result']>(k: K) => list.filter((a): a is Extract<Attempted, { result: K }> => a.result === k)
  const sent = of('sent')
  if (sent.length) {
    await q.query(
      `UPDATE sms_outbox o SET twilio_sid = v.sid, error = NULL, next_attempt_at = NULL, updated_at = now(),
         status = CASE WHEN o.status IN ('pending', 'sending') THEN 'sent' ELSE o.status END
       FROM unnest($1::bigint[], $2::text[]) AS v(id, sid)
       WHERE o.id = v.id`,
      [sent.map((a) => a.id), sent.map((a) => a.sid)],
    )
  }
  const retry = of('retry')
  if (retry.length) {
    await q.query(
      `UPDATE sms_outbox o SET status = v.status, next_attempt_at = v.at::timestamptz, error = v.error, updated_at = now()
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(id, status, at, error)
       WHERE o.id = v.id AND o.status = 'sending'`,
      [retry.map((a) => a.id), retry.map((a) => a.status), retry.map((a) => a.at.toISOString()), retry.map((a) => a.error)],
    )
  }
  const failed = of('failed')
  if (failed.length) {
    await q.query(
      `UPDATE sms_outbox o SET status = 'failed', next_attempt_at = NULL, error = v.error, updated_at = now()
       FROM unnest($1::bigint[], $2::text[]) AS v(id, error)
       WHERE o.id = v.id AND o.status = 'sending'`,
      [failed.map((a) => a.id), failed.map((a) => a.error)],
    )
  }
  const released = of('released')
  if (released.length) {
    await q.query(
      `UPDATE sms_outbox o SET status = v.was, attempts = o.attempts - 1, next_attempt_at = NULL, updated_at = now()
       FROM unnest($1::bigint[], $2::text[]) AS v(id, was)
       WHERE o.id = v.id AND o.status = 'sending'`,
      [released.map((a) => a.id), released.map((a) => a.was)],
    )
  }
}

/** outboxCounts counts the rows waiting (pending), being sent (sending) and failed for good (failed or undelivered). */
export async function outboxCounts(q: Queryable): Promise<{ pending: number; sending: number; failed: number }> {
  const r = await q.query<{ status: string; n: number | string }>(
    "SELECT status, count(*) AS n FROM sms_outbox WHERE status IN ('pending', 'sending', 'failed', 'undelivered') GROUP BY status",
  )
  const n = (s: string) => Number(r.rows.find((x) => x.status === s)?.n ?? 0)
  return { pending: n('pending'), sending: n('sending'), failed: n('failed') + n('undelivered') }
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
