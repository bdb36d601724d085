/**
 * The consoles' seam to the audit trail: sign-ins, unmasking, silences, contacts and
 * account changes are written through one ConsoleAudit, which the platform wires to
 * the hash-chained log (common/audit).
 */
import { appendAudit, type AuditAction } from '../../../common/audit/index.ts'
import type { Db, Queryable } from '../../../common/db/index.ts'

/** ConsoleAuditEntry is one audit entry of the consoles (sign-ins, unmasking, silences). */
export interface ConsoleAuditEntry {
  actor: string
  action: AuditAction
  subject: string
  detail: Record<string, unknown>
}

/** ConsoleAudit appends an entry to the audit trail; given tx, inside that transaction. */
export type ConsoleAudit = (e: ConsoleAuditEntry, tx?: Queryable) => Promise<void>

/** auditWriter is the usual ConsoleAudit: appendAudit at the clock's instant, in tx or a transaction of its own. */
export function auditWriter(db: Db, now: () => number): ConsoleAudit {
  return async (e, tx) => {
    const entry = { at: now(), ...e }
    if (tx) await appendAudit(tx, entry)
    else await db.transaction((t) => appendAudit(t, entry))
  }
}
