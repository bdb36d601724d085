/**
 * Deferred audit entries: a transaction that records many changes (a batch of cards,
 * each opening a thread) appends their entries together at its end, with one lock, one
 * read of the head and one insert, instead of four statements for each. The chain is
 * the one appending them one by one would make, in the order they were recorded.
 */
import type { Queryable } from '../db/index.ts'
import { appendAudit, appendAudits, type AuditInput } from './log.ts'

const pending = new WeakMap<Queryable, AuditInput[]>()

/** DeferredAudits is a transaction whose recordAudit calls wait for flush. */
export interface DeferredAudits {
  /** the transaction to work in: recordAudit on it gathers the entries */
  tx: Queryable
  /** how many entries are gathered: a mark to roll back to */
  mark(): number
  /** rollbackTo forgets the entries gathered after a mark (a savepoint rolled back) */
  rollbackTo(mark: number): void
  /** flush appends the gathered entries, in order; call it last in the transaction */
  flush(): Promise<void>
}

/** deferAudits wraps tx so that the audit entries recorded on it are appended together by flush. */
export function deferAudits(tx: Queryable): DeferredAudits {
  const entries: AuditInput[] = []
  const wrapped: Queryable = { query: (sql, params) => tx.query(sql, params) }
  pending.set(wrapped, entries)
  return {
    tx: wrapped,
    mark: () => entries.length,
    rollbackTo: (mark) => void entries.splice(mark),
    flush: async () => {
      await appendAudits(tx, entries.splice(0))
    },
  }
}

/** withDeferredAudits runs fn on a deferring wrapper of tx and flushes what it gathered once fn is done. */
export async function withDeferredAudits<T>(tx: Queryable, fn: (audits: DeferredAudits) => Promise<T>): Promise<T> {
  const audits = deferAudits(tx)
  const out = await fn(audits)
  await audits.flush()
  return out
}

/**
 * recordAudit appends e in tx, or, on a transaction of deferAudits, gathers it for its
 * flush. For callers that need no sequence number back.
 */
export async function recordAudit(tx: Queryable, e: AuditInput): Promise<void> {
  const gathered = pending.get(tx)
  if (!gathered) {
    await appendAudit(tx, e)
    return
  }
  if (!Number.isFinite(e.at)) throw new Error(`audit: ${e.action} needs a time, got ${e.at}`)
  gathered.push(e)
}
