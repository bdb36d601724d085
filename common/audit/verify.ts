/**
 * verifyAudit walks the audit trail in seq order and recomputes every hash, so that a
 * row altered or deleted behind the triggers' back (superuser, replica role, a
 * restored backup) is found, with the seq where the chain first breaks.
 */
import type { Queryable } from '../db/index.ts'
import { GENESIS, hashEntry } from './chain.ts'
import { checkpointsAfter, readHead, rowHash, rowsAfter, type Link, type TrailRow as Row } from './trail.ts'
import { keyIdOf, signedBy, type Checkpoint } from './signature.ts'

/** BreakReason says how the chain is broken at brokenAt. */
export type BreakReason =
  | 'row altered'
  | 'row missing'
  | 'first row does not start the chain'
  | 'rows missing at the end'
  | 'rows not recorded in the head'
  | 'head does not match the last row'
  | 'head missing'
  | 'checkpoint signature invalid'
  | 'checkpoint signed by another key'
  | 'checkpoint missing'
  | 'row rewritten after a signed checkpoint'
  | 'anchor not in the trail'

/**
 * AuditVerdict is the outcome; rows counts the rows found intact before the break.
 * An intact trail also tells how many signed checkpoints hold it, the newest, and
 * whether their signatures were checked (they are when the key is given).
 */
export type AuditVerdict =
  | { ok: true; rows: number; head: string; checkpoints: number; lastCheckpoint: Checkpoint | null; signaturesChecked: boolean }
  | { ok: false; rows: number; brokenAt: number; reason: BreakReason }

/** Anchor is a head recorded outside the platform: row seq had this hash. */
export interface Anchor {
  seq: number
  hash: string
}

/** VerifyOptions sets the batch size (rows per query), a progress callback, the signing key and a recorded anchor. */
export interface VerifyOptions {
  batch?: number
  onProgress?: (n: number) => void
  /** the checkpoints' signing key (AUDIT_KEY); without it only their links and rows are checked */
  key?: string
  /** heads recorded elsewhere (jiancha audit head, AUDIT_ANCHOR_FILE) that must still be in the trail */
  anchors?: readonly Anchor[]
}



const START: Link = { seq: 0, hash: GENESIS }

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
    if (broken) return { ok: false, rows, ...broken }
    for (const a of opts.anchors ?? []) {
      if ((await rowHash(db, a.seq)) !== a.hash) return { ok: false, rows, brokenAt: a.seq, reason: 'anchor not in the trail' }
    }
    const signed = await checkCheckpoints(db, batch, opts.key)
    if ('reason' in signed) return { ok: false, rows, brokenAt: signed.brokenAt, reason: signed.reason }
    return { ok: true, rows, head: last.hash, checkpoints: signed.count, lastCheckpoint: signed.last, signaturesChecked: opts.key !== undefined }
  }
}

/**
 * checkCheckpoints holds the intact chain against its signed checkpoints: each links to
 * the one before, names a row that still has the hash it had when signed and, given
 * the key, carries a valid signature. A superuser who rewrote rows and re-chained the
 * tail fails the second test; one who also forged checkpoints, the third.
 */
async function checkCheckpoints(db: Queryable, batch: number, key: string | undefined): Promise<{ count: number; last: Checkpoint | null } | { brokenAt: number; reason: BreakReason }> {
  const keyId = key === undefined ? undefined : keyIdOf(key)
  let last: Checkpoint | null = null
  let count = 0
  for (;;) {
    const page = await checkpointsAfter(db, last?.seq ?? -1, batch)
    for (const c of page) {
      if (c.prevMac !== (last?.mac ?? GENESIS)) return { brokenAt: c.seq, reason: 'checkpoint missing' }
      if (c.rowHash !== c.hash) return { brokenAt: c.seq, reason: 'row rewritten after a signed checkpoint' }
      if (key !== undefined && c.keyId !== keyId) return { brokenAt: c.seq, reason: 'checkpoint signed by another key' }
      if (key !== undefined && !signedBy(key, c)) return { brokenAt: c.seq, reason: 'checkpoint signature invalid' }
      last = c
      count++
    }
    if (page.length < batch) return { count, last }
  }
}

type Scanned = { rows: number; last: Link } | { rows: number; brokenAt: number; reason: BreakReason }

/** scan checks every row after `from`, batch by batch, and returns the last link or the first break. */
async function scan(db: Queryable, from: Link, batch: number, progress: (n: number) => void): Promise<Scanned> {
  let prev = from
  let rows = 0
  for (;;) {
    // From the very first row, whatever its seq, so a chain that starts wrong is seen.
    const page = await rowsAfter(db, prev === START ? null : prev.seq, batch)
    for (const row of page) {
      const reason = checkRow(prev, row)
      if (reason) return { rows, ...reason }
      prev = { seq: Number(row.seq), hash: row.hash }
      rows++
    }
    if (page.length > 0) progress(rows)
    if (page.length < batch) return { rows, last: prev }
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

/** compareHead checks that the last row is the one the head names. */
function compareHead(head: Link, last: Link): { brokenAt: number; reason: BreakReason } | undefined {
  if (head.seq > last.seq) return { brokenAt: last.seq + 1, reason: 'rows missing at the end' }
  if (head.seq < last.seq) return { brokenAt: head.seq + 1, reason: 'rows not recorded in the head' }
  if (head.hash !== last.hash) return { brokenAt: last.seq, reason: 'head does not match the last row' }
  return undefined
}
