/**
 * What was notified (table `notify_sent`, migrations/012_notify.sql): the keys each
 * enqueued message covers (dedup.notifyKeys), so that dedup can tell after a restart
 * that a card was texted already, even when it went out inside a digest.
 */
import type { Queryable } from '../../common/db/index.ts'

/** notifiedKeys returns which of the keys were notified. */
export async function notifiedKeys(db: Queryable, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const r = await db.query<{ key: string }>('SELECT key FROM notify_sent WHERE key = ANY($1::text[])', [keys])
  return new Set(r.rows.map((x) => x.key))
}

/**
 * markNotified records that the keys went out in the outbox message `ref`. Call it in
 * the transaction that enqueues the message; a key recorded before keeps its first ref.
 */
export async function markNotified(db: Queryable, keys: readonly string[], ref: string, at: number): Promise<void> {
  if (keys.length === 0) return
  await db.query(
    `INSERT INTO notify_sent (key, ref, sent_at) SELECT k, $2, $3 FROM unnest($1::text[]) AS k ON CONFLICT (key) DO NOTHING`,
    [[...new Set(keys)], ref, new Date(at)],
  )
}

/** pruneNotified forgets keys notified before an instant (cases long closed); returns how many. */
export async function pruneNotified(db: Queryable, before: number): Promise<number> {
  const r = await db.query('DELETE FROM notify_sent WHERE sent_at < $1', [new Date(before)])
  return r.rowCount
}
