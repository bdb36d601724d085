/** The public face of common/audit: other components import from here, and only from here. */
export { appendAudit, type AuditAction, type AuditInput } from './log.ts'
export { verifyAudit } from './verify.ts'
