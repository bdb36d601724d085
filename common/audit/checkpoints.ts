/**
 * Signed checkpoints of the audit trail (the audit_checkpoints table): written every
 * so often by a running platform, read back by `jiancha audit verify` and
 * `jiancha audit head`. See signature.ts for what a checkpoint signs.
 */
import { appendFileSync } from 'node:fs'
import type { Db, Queryable } from '../db/index.ts'
import { GENESIS } from './chain.ts'
import { AUDIT_LOCK } from './log.ts'
import { sign, type Checkpoint } from './signature.ts'

interface Row {
  seq: number | bigint
  hash: string
  at: Date
  prev_mac: string
  key_id: string
  mac: string
}

const COLUMNS = 'seq, hash, at, prev_mac, key_id, mac'

function fromRow(r: Row): Checkpoint {
  return { seq: Number(r.seq), hash: r.hash, at: r.at.getTime(), prevMac: r.prev_mac, keyId: r.key_id, mac: r.mac }
}

/**
 * writeCheckpoint signs the head of the trail, unless no row was appended since the
 * last checkpoint; it holds the append lock, so the head cannot move meanwhile.
 * Returns the new checkpoint, or null.
 */
export async function writeCheckpoint(db: Db, key: string, now: number): Promise<Checkpoint | null> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK])
    const head = (await tx.query<{ seq: number | bigint; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1')).rows[0]
    if (!head || Number(head.seq) === 0) return null
    const last = await latestCheckpoint(tx)
    if (last && last.seq >= Number(head.seq)) return null
    const c = sign(key, Number(head.seq), head.hash, now, last?.mac ?? GENESIS)
    await tx.query(`INSERT INTO audit_checkpoints (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [c.seq, c.hash, new Date(c.at), c.prevMac, c.keyId, c.mac])
    return c
  })
}

/** latestCheckpoint is the newest checkpoint, or null when none was written. */
export async function latestCheckpoint(db: Queryable): Promise<Checkpoint | null> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`)
  return r.rows[0] ? fromRow(r.rows[0]) : null
}

/** CheckedCheckpoint is a checkpoint with the hash its row has now (null when the row is gone). */
export type CheckedCheckpoint = Checkpoint & { rowHash: string | null }

/** checkpointsAfter reads up to `limit` checkpoints after seq, oldest first, each with its row's hash now. */
export async function checkpointsAfter(db: Queryable, seq: number, limit: number): Promise<CheckedCheckpoint[]> {
  const r = await db.query<Row & { row_hash: string | null }>(
    `SELECT c.seq, c.hash, c.at, c.prev_mac, c.key_id, c.mac, l.hash AS row_hash
     FROM audit_checkpoints c LEFT JOIN audit_log l ON l.seq = c.seq WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`,
    [seq, limit],
  )
  return r.rows.map((x) => ({ ...fromRow(x), rowHash: x.row_hash }))
}

/** anchorLine is a checkpoint as one JSON line, to record outside the platform (a file, another system, paper). */
export function anchorLine(c: Checkpoint): string {
  return JSON.stringify({ seq: c.seq, hash: c.hash, at: new Date(c.at).toISOString(), keyId: c.keyId, mac: c.mac })
}

/** CheckpointerOptions: the database, the key, how often, where to copy each checkpoint, and the log. */
export interface CheckpointerOptions {
  db: Db
  key: string
  now: () => number
  everyMs: number
  /** a file outside the database that each new checkpoint is appended to, as a JSON line */
  anchorFile?: string
  log: { info(m: string, f?: Record<string, unknown>): void; warn(m: string, f?: Record<string, unknown>): void }
}

/** startCheckpoints signs the head every `everyMs` and once more on stop; several processes may run it at once. */
export function startCheckpoints(opts: CheckpointerOptions): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve()
  const once = (): Promise<void> =>
    (running = running.then(async () => {
      try {
        const c = await writeCheckpoint(opts.db, opts.key, opts.now())
        if (!c) return
        if (opts.anchorFile) appendFileSync(opts.anchorFile, `${anchorLine(c)}\n`, { mode: 0o600 })
        opts.log.info('audit checkpoint signed', { seq: c.seq, keyId: c.keyId })
      } catch (e) {
        // A missed checkpoint is made good by the next; the trail itself is untouched.
        opts.log.warn('audit checkpoint failed; will try again', { error: (e as Error).message })
      }
    }))
  const timer = setInterval(() => void once(), opts.everyMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await once()
    },
  }
}
