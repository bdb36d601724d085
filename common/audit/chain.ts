/**
 * The hash chain of the audit trail, pure: how one entry is written down for hashing
 * and how its hash links to the one before. The hash is over the entry as it reads
 * back from the database, so it does not depend on key order, on jsonb's reordering
 * or on either backend's JSON formatting.
 */
import { createHash } from 'node:crypto'

/** GENESIS is the prev_hash of the first row: 64 zeros. */
export const GENESIS = '0'.repeat(64)

/** ChainEntry is what a row's hash covers: everything in it except the hashes. */
export interface ChainEntry {
  seq: number
  /** epoch ms, or the Date a timestamptz reads back as */
  at: number | Date
  actor: string
  action: string
  subject: string
  detail: Record<string, unknown>
}

/**
 * canonical writes an entry as JSON with keys sorted at every depth and `at` as a UTC
 * ISO string with milliseconds. detail must already be plain JSON (see jsonValue).
 */
export function canonical(entry: ChainEntry): string {
  const at = entry.at instanceof Date ? entry.at : new Date(entry.at)
  if (Number.isNaN(at.getTime())) throw new Error(`audit: entry ${entry.seq} has no valid time`)
  return canonicalJson({
    seq: entry.seq,
    at: at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    detail: entry.detail,
  })
}

/** hashEntry is the sha256 (hex) of prevHash, a newline and the entry's canonical form. */
export function hashEntry(prevHash: string, entry: ChainEntry): string {
  return createHash('sha256').update(`${prevHash}\n${canonical(entry)}`, 'utf8').digest('hex')
}

/**
 * jsonValue is value as it will read back from a jsonb column: undefined dropped,
 * Dates as strings, NaN as null. Hash this, not the caller's object.
 */
export function jsonValue<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** canonicalJson is JSON.stringify with object keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>
    // Code-unit order, like Array.prototype.sort: stable across engines and locales.
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
