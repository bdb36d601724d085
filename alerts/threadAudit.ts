/**
 * threadAudit turns a supervision thread's transition into its audit-trail entry, so
 * every state change is written to the hash-chained log in the same transaction.
 */
import type { Queryable } from '../common/db/index.ts'
import { type AuditAction, recordAudit } from '../common/audit/index.ts'
import type { StoredTransition } from './lifecycle/threadStore.ts'

const ACTIONS: Record<string, AuditAction> = {
  open: 'alert.raised',
  notify: 'alert.notified',
  acknowledge: 'alert.acknowledged',
  submit_rectification: 'alert.rectification_submitted',
  approve: 'alert.approved',
  return: 'alert.returned',
  escalate: 'alert.escalated',
  upgrade: 'alert.upgraded',
  withdraw: 'alert.withdrawn',
  withdraw_card: 'alert.card_withdrawn',
}

/** auditTransition records the entry of one thread transition (appended at once, or with the rest of a deferring transaction). */
export async function auditTransition(tx: Queryable, t: StoredTransition): Promise<void> {
  await recordAudit(tx, {
    at: t.at,
    actor: `${t.actor.role}:${t.actor.name}`,
    action: ACTIONS[t.action] ?? 'alert.raised',
    subject: `thread:${t.threadId}`,
    detail: { from: t.from, to: t.to, why: t.why, ...t.detail },
  })
}
