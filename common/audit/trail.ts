/**
 * The audit tables' SQL, all of it: audit_log (the rows), audit_head (the last seq and
 * hash) and audit_checkpoints (the signed heads). log.ts appends, checkpoints.ts signs
 * and verify.ts reads through these functions only.
 */
import type { Queryable } from '../db/index.ts'
import type { Checkpoint } from './signature.ts'

/** AUDIT_LOCK is the pg_advisory_xact_lock key that keeps the chain linear ('JCAU' in ASCII). */
export const AUDIT_LOCK = 0x4a434155

/** Link is a row's place in the chain: its seq and hash (the head is one too). */
export interface Link {
  seq: number
  hash: string
}

/** TrailRow is a row of audit_log as read back. */
export interface TrailRow {
  seq: number | bigint
  at: Date
  actor: string
  action: string
  subject: string
  detail: Record<string, unknown>
  prev_hash: string
  hash: string
}

/** NewRow is a row to append: everything but the hashes is the entry as hashed. */
export interface NewRow {
  seq: number
  at: number
  actor: string
  action: string
  subject: string
  detail: unknown
  prevHash: string
  hash: string
}

/** lockTrail takes the append lock until tx ends: appends and checkpoints form one line. */
export async function lockTrail(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK])
}

/** readHead is the head of the trail (locked FOR UPDATE when asked), or undefined when its row is gone. */
export async function readHead(q: Queryable, forUpdate = false): Promise<Link | undefined> {
  const r = await q.query<{ seq: number | bigint; hash: string }>(`SELECT seq, hash FROM audit_head WHERE id = 1${forUpdate ? ' FOR UPDATE' : ''}`)
  const h = r.rows[0]
  return h && { seq: Number(h.seq), hash: h.hash }
}

/** appendRow inserts one row and moves the head onto it, in tx (which holds the lock). */
export async function appendRow(tx: Queryable, row: NewRow): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
     VALUES ($1, $2::timestamptz, $3, $4, $5, $6::jsonb, $7, $8)`,
    [row.seq, new Date(row.at).toISOString(), row.actor, row.action, row.subject, JSON.stringify(row.detail), row.prevHash, row.hash],
  )
  await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [row.seq, row.hash])
}

/**
 * appendRows inserts several rows with one statement and moves the head over each in
 * turn: its guard (migration 009) lets it move one row per UPDATE, and one DO block
 * makes those UPDATEs in one round trip. A DO block takes no parameters: its values are
 * our own integers and hex digests, checked before they are written into it.
 */
export async function appendRows(tx: Queryable, rows: readonly NewRow[]): Promise<void> {
  if (!rows.length) return
  const col = <K extends keyof NewRow>(k: K, f: (v: NewRow[K]) => unknown = (v) => v) => rows.map((r) => f(r[k]))
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
     SELECT seq, at::timestamptz, actor, action, subject, detail::jsonb, prev_hash, hash
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS v(seq, at, actor, action, subject, detail, prev_hash, hash)`,
    [col('seq'), col('at', (t) => new Date(t).toISOString()), col('actor'), col('action'), col('subject'), col('detail', (d) => JSON.stringify(d)), col('prevHash'), col('hash')],
  )
  if (rows.length === 1) {
    await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [rows[0]!.seq, rows[0]!.hash])
    return
  }
  const steps = rows.map((r) => {
    if (!Number.isSafeInteger(r.seq) || !/^[0-9a-f]{64}$/.test(r.hash)) throw new Error(`audit: bad head step ${r.seq} ${r.hash}`)
    return `UPDATE audit_head SET seq = ${r.seq}, hash = '${r.hash}' WHERE id = 1;`
  })
  await tx.query(`DO $$ BEGIN ${steps.join(' ')} END $$`)
}

const ROW = 'SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log'

/** rowsAfter reads up to `limit` rows after seq in seq order; from the very first row when seq is null. */
export async function rowsAfter(q: Queryable, seq: number | null, limit: number): Promise<TrailRow[]> {
  const r = seq === null
    ? await q.query<TrailRow>(`${ROW} ORDER BY seq LIMIT $1`, [limit])
    : await q.query<TrailRow>(`${ROW} WHERE seq > $1 ORDER BY seq LIMIT $2`, [seq, limit])
  return r.rows
}

/** rowHash is the hash row seq has now, or null when there is no such row. */
export async function rowHash(q: Queryable, seq: number): Promise<string | null> {
  const r = await q.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = $1', [seq])
  return r.rows[0]?.hash ?? null
}

interface CheckpointRow {
  seq: number | bigint
  hash: string
  at: Date
  prev_mac: string
  key_id: string
  mac: string
}

const CHECKPOINT = 'seq, hash, at, prev_mac, key_id, mac'

function checkpointOf(r: CheckpointRow): Checkpoint {
  return { seq: Number(r.seq), hash: r.hash, at: r.at.getTime(), prevMac: r.prev_mac, keyId: r.key_id, mac: r.mac }
}

/** insertCheckpoint stores a signed checkpoint. */
export async function insertCheckpoint(tx: Queryable, c: Checkpoint): Promise<void> {
  await tx.query(`INSERT INTO audit_checkpoints (${CHECKPOINT}) VALUES ($1, $2, $3, $4, $5, $6)`, [c.seq, c.hash, new Date(c.at), c.prevMac, c.keyId, c.mac])
}

/** latestCheckpoint is the newest checkpoint, or null when none was written. */
export async function latestCheckpoint(q: Queryable): Promise<Checkpoint | null> {
  const r = await q.query<CheckpointRow>(`SELECT ${CHECKPOINT} FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`)
  return r.rows[0] ? checkpointOf(r.rows[0]) : null
}

/** CheckedCheckpoint is a checkpoint with the hash its row has now (null when the row is gone). */
export type CheckedCheckpoint = Checkpoint & { rowHash: string | null }

/** checkpointsAfter reads up to `limit` checkpoints after seq, oldest first, each with its row's hash now. */
export async function checkpointsAfter(q: Queryable, seq: number, limit: number): Promise<CheckedCheckpoint[]> {
  const r = await q.query<CheckpointRow & { row_hash: string | null }>(
    `SELECT c.seq, c.hash, c.at, c.prev_mac, c.key_id, c.mac, l.hash AS row_hash
     FROM audit_checkpoints c LEFT JOIN audit_log l ON l.seq = c.seq WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`,
    [seq, limit],
  )
  return r.rows.map((x) => ({ ...checkpointOf(x), rowHash: x.row_hash }))
}
