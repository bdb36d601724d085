/**
 * appendAudit writes one row of the audit trail inside the caller's transaction, so
 * the row commits (or rolls back) with the change it records.
 */
import type { Queryable } from '../db/index.ts'
import { hashEntry, jsonValue } from './chain.ts'

/** AUDIT_ACTIONS lists what the trail records; a module that audits something new adds its name here. */
export const AUDIT_ACTIONS = [
  'alert.raised',
  'alert.acknowledged',
  'alert.rectification_submitted',
  'alert.approved',
  'alert.returned',
  'alert.escalated',
  'sms.sent',
  'sms.status',
  'user.login',
  'user.login_failed',
  'user.created',
  'data.unmasked',
  'silence.created',
  'rules.reloaded',
  'case.flagged',
  'alert.notified',
  'alert.upgraded',
  'alert.withdrawn',
  'alert.card_withdrawn',
  'silence.expired',
  'contact.updated',
  'user.disabled',
  'user.enabled',
  'user.password_reset',
  'dept.created',
  'dept.updated',
  'dept.imported',
] as const

/** AuditAction is one of AUDIT_ACTIONS. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** AuditInput is one thing to record: when (epoch ms), who, what, on what, and any detail. */
export interface AuditInput {
  at: number
  actor: string
  action: AuditAction
  subject: string
  detail?: Record<string, unknown>
}

/** AUDIT_LOCK is the pg_advisory_xact_lock key that keeps the chain linear ('JCAU' in ASCII). */
export const AUDIT_LOCK = 0x4a434155

/**
 * appendAudit appends e after the current head and moves the head, in tx.
 * The lock is held until tx ends, so call it last in a transaction; tx should be
 * READ COMMITTED (the default), else a concurrent append fails instead of waiting.
 */
export async function appendAudit(tx: Queryable, e: AuditInput): Promise<{ seq: number; hash: string }> {
  if (!Number.isFinite(e.at)) throw new Error(`audit: ${e.action} needs a time, got ${e.at}`)
  const detail = jsonValue(e.detail ?? {})
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK])
  // The head, not max(seq): if the newest rows were deleted, new rows must not chain
  // over the hole and hide it.
  const head = await tx.query<{ seq: number | bigint; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE')
  const last = head.rows[0]
  if (!last) throw new Error('audit: audit_head is missing; the audit trail cannot be appended to (run jiancha audit verify)')
  const seq = Number(last.seq) + 1
  const hash = hashEntry(last.hash, { seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail })
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
     VALUES ($1, $2::timestamptz, $3, $4, $5, $6::jsonb, $7, $8)`,
    [seq, new Date(e.at).toISOString(), e.actor, e.action, e.subject, JSON.stringify(detail), last.hash, hash],
  )
  await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [seq, hash])
  return { seq, hash }
}

/**
 * appendAudits appends several entries after the current head, in order, with one
 * lock, one read of the head and one insert: the same chain as appending them one by
 * one, for a caller that records a batch (the SMS sender). The head still moves one
 * row per UPDATE, as its guard (migration 009) wants. Nothing happens for none.
 */
export async function appendAudits(tx: Queryable, entries: readonly AuditInput[]): Promise<void> {
  if (!entries.length) return
  for (const e of entries) if (!Number.isFinite(e.at)) throw new Error(`audit: ${e.action} needs a time, got ${e.at}`)
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK])
  const head = await tx.query<{ seq: number | bigint; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE')
  const last = head.rows[0]
  if (!last) throw new Error('audit: audit_head is missing; the audit trail cannot be appended to (run jiancha audit verify)')
  let seq = Number(last.seq)
  let prev: string = last.hash
  const rows = entries.map((e) => {
    const detail = jsonValue(e.detail ?? {})
    seq++
    const hash = hashEntry(prev, { seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail })
    const row = { seq, at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, subject: e.subject, detail: JSON.stringify(detail), prev, hash }
    prev = hash
    return row
  })
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k])
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
     SELECT seq, at::timestamptz, actor, action, subject, detail::jsonb, prev_hash, hash
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS v(seq, at, actor, action, subject, detail, prev_hash, hash)`,
    [col('seq'), col('at'), col('actor'), col('action'), col('subject'), col('detail'), col('prev'), col('hash')],
  )
  // The head's guard lets it move one row per UPDATE; one DO block makes those UPDATEs in
  // one round trip. A DO block takes no parameters: its values are our own integers and
  // hex digests, checked before they are written into it.
  if (rows.length === 1) {
    await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [seq, prev])
    return
  }
  const steps = rows.map((r) => {
    if (!Number.isSafeInteger(r.seq) || !/^[0-9a-f]{64}$/.test(r.hash)) throw new Error(`audit: bad head step ${r.seq} ${r.hash}`)
    return `UPDATE audit_head SET seq = ${r.seq}, hash = '${r.hash}' WHERE id = 1;`
  })
  await tx.query(`DO $$ BEGIN ${steps.join(' ')} END $$`)
}
