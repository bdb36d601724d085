/**
 * verifyAudit walks the audit trail in seq order and recomputes every hash, so that a
 * row altered or deleted behind the triggers' back (superuser, replica role, a
 * restored backup) is found, with the seq where the chain first breaks.
 */
import type { Queryable } from '../db/index.ts'
import { GENESIS, hashEntry } from './chain.ts'

/** BreakReason says how the chain is broken at brokenAt. */
export type BreakReason =
  | 'row altered'
  | 'row missing'
  | 'first row does not start the chain'
  | 'rows missing at the end'
  | 'rows not recorded in the head'
  | 'head does not match the last row'
  | 'head missing'

/** AuditVerdict is the outcome; rows counts the rows found intact before the break. */
export type AuditVerdict = { ok: true; rows: number; head: string } | { ok: false; rows: number; brokenAt: number; reason: BreakReason }

/** VerifyOptions sets the batch size (rows per query) and a callback with the rows checked so far. */
export interface VerifyOptions {
  batch?: number
  onProgress?: (n: number) => void
}

interface Row {
  seq: number | bigint
  at: Date
  actor: string
  action: string
  subject: string
  detail: Record<string, unknown>
  prev_hash: string
  hash: string
}

interface Link {
  seq: number
  hash: string
}

const START: Link = { seq: 0, hash: GENESIS }
const SELECT = 'SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log'

/** verifyAudit checks the whole trail and the head; it reads batch rows at a time and holds no lock. */
export async function verifyAudit(db: Queryable, opts: VerifyOptions = {}): Promise<AuditVerdict> {
  const batch = opts.batch ?? 10_000
  let last = START
  let rows = 0
  let seen: Link | undefined
  for (;;) {
    const scanned = await scan(db, last, batch, (n) => opts.onProgress?.(rows + n))
    if ('reason' in scanned) return { ok: false, rows: rows + scanned.rows, brokenAt: scanned.brokenAt, reason: scanned.reason }
    rows += scanned.rows
    last = scanned.last
    // Appends go on while we read. A row and the head that names it commit together,
    // so a scan that starts after the head was read sees every row up to it: only a
    // head that stays ahead of such a scan means rows are missing.
    const head = await readHead(db)
    if (!head) return { ok: false, rows, brokenAt: last.seq + 1, reason: 'head missing' }
    if (head.seq > last.seq && head.seq !== seen?.seq) {
      seen = head
      continue
    }
    const broken = compareHead(head, last)
    return broken ? { ok: false, rows, ...broken } : { ok: true, rows, head: last.hash }
  }
}

type Scanned = { rows: number; last: Link } | { rows: number; brokenAt: number; reason: BreakReason }

/** scan checks every row after `from`, batch by batch, and returns the last link or the first break. */
async function scan(db: Queryable, from: Link, batch: number, progress: (n: number) => void): Promise<Scanned> {
  let prev = from
  let rows = 0
  for (;;) {
    // From the very first row, whatever its seq, so a chain that starts wrong is seen.
    const r = prev === START
      ? await db.query<Row>(`${SELECT} ORDER BY seq LIMIT $1`, [batch])
      : await db.query<Row>(`${SELECT} WHERE seq > $1 ORDER BY seq LIMIT $2`, [prev.seq, batch])
    for (const row of r.rows) {
      const reason = checkRow(prev, row)
      if (reason) return { rows, ...reason }
      prev = { seq: Number(row.seq), hash: row.hash }
      rows++
    }
    if (r.rows.length > 0) progress(rows)
    if (r.rows.length < batch) return { rows, last: prev }
  }
}

/** checkRow tells whether row follows prev: the next seq, linked to prev's hash, with its own hash right. */
function checkRow(prev: Link, row: Row): { brokenAt: number; reason: BreakReason } | undefined {
  const seq = Number(row.seq)
  if (seq > prev.seq + 1) return { brokenAt: prev.seq + 1, reason: 'row missing' }
  if (prev === START && (seq !== 1 || row.prev_hash !== GENESIS)) return { brokenAt: seq, reason: 'first row does not start the chain' }
  if (row.prev_hash !== prev.hash) return { brokenAt: seq, reason: 'row missing' }
  const entry = { seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail: row.detail }
  if (hashEntry(row.prev_hash, entry) !== row.hash) return { brokenAt: seq, reason: 'row altered' }
  return undefined
}

async function readHead(db: Queryable): Promise<Link | undefined> {
  const r = await db.query<{ seq: number | bigint; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1')
  const h = r.rows[0]
  return h && { seq: Number(h.seq), hash: h.hash }
}

/** compareHead checks that the last row is the one the head names. */
function compareHead(head: Link, last: Link): { brokenAt: number; reason: BreakReason } | undefined {
  if (head.seq > last.seq) return { brokenAt: last.seq + 1, reason: 'rows missing at the end' }
  if (head.seq < last.seq) return { brokenAt: head.seq + 1, reason: 'rows not recorded in the head' }
  if (head.hash !== last.hash) return { brokenAt: last.seq, reason: 'head does not match the last row' }
  return undefined
}
