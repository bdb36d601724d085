/**
 * appendAudit writes one row of the audit trail inside the caller's transaction, so
 * the row commits (or rolls back) with the change it records.
 */
import type { Queryable } from '../db/index.ts'
import { hashEntry, jsonValue } from './chain.ts'
import { appendRow, appendRows, lockTrail, type NewRow, readHead } from './trail.ts'

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
  'case.check_code_issued',
  'kpi.frozen',
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

export { AUDIT_LOCK } from './trail.ts'

/**
 * appendAudit appends e after the current head and moves the head, in tx.
 * The lock is held until tx ends, so call it last in a transaction; tx should be
 * READ COMMITTED (the default), else a concurrent append fails instead of waiting.
 */
export async function appendAudit(tx: Queryable, e: AuditInput): Promise<{ seq: number; hash: string }> {
  if (!Number.isFinite(e.at)) throw new Error(`audit: ${e.action} needs a time, got ${e.at}`)
  const detail = jsonValue(e.detail ?? {})
  await lockTrail(tx)
  // The head, not max(seq): if the newest rows were deleted, new rows must not chain
  // over the hole and hide it.
  const last = await readHead(tx, true)
  if (!last) throw new Error('audit: audit_head is missing; the audit trail cannot be appended to (run jiancha audit verify)')
  const seq = last.seq + 1
  const hash = hashEntry(last.hash, { seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail })
  await appendRow(tx, { seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail, prevHash: last.hash, hash })
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
  await lockTrail(tx)
  const last = await readHead(tx, true)
  if (!last) throw new Error('audit: audit_head is missing; the audit trail cannot be appended to (run jiancha audit verify)')
  let seq = last.seq
  let prev = last.hash
  const rows: NewRow[] = entries.map((e) => {
    const detail = jsonValue(e.detail ?? {})
    seq++
    const hash = hashEntry(prev, { seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail })
    const row = { seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail, prevHash: prev, hash }
    prev = hash
    return row
  })
  await appendRows(tx, rows)
}
