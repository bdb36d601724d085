/** The audit trail (docs/audit.md): a hash-chained, append-only log with signed checkpoints. Other components import from here, and only from here. */
export { anchorLine, latestCheckpoint, startCheckpoints, writeCheckpoint, type CheckpointerOptions } from './checkpoints.ts'
export { deferAudits, type DeferredAudits, recordAudit, withDeferredAudits } from './deferred.ts'
export { loadOrCreateKey } from './keyFile.ts'
export { appendAudit, appendAudits, AUDIT_ACTIONS, type AuditAction, type AuditInput } from './log.ts'
export { keyIdOf, MIN_KEY_LENGTH, type Checkpoint } from './signature.ts'
export { verifyAudit, type Anchor, type AuditVerdict } from './verify.ts'
