/**
 * The signature of an audit checkpoint, pure: an HMAC-SHA256 over the head it covers
 * and the checkpoint before it, with a key that never enters the database.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { GENESIS } from './chain.ts'

/** Checkpoint is one signed head of the trail: row `seq` had `hash` when it was signed at `at` (epoch ms). */
export interface Checkpoint {
  seq: number
  hash: string
  at: number
  /** the mac of the checkpoint before; GENESIS for the first */
  prevMac: string
  /** which key signed it: keyIdOf(key) */
  keyId: string
  mac: string
}

/** MIN_KEY_LENGTH is the shortest signing key accepted, in characters. */
export const MIN_KEY_LENGTH = 32

/** keyIdOf names a key without revealing it: the first 12 hex digits of its sha256. */
export function keyIdOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 12)
}

/** sign makes the checkpoint of (seq, hash) at `at`, following the one whose mac is prevMac. */
export function sign(key: string, seq: number, hash: string, at: number, prevMac: string = GENESIS): Checkpoint {
  return { seq, hash, at, prevMac, keyId: keyIdOf(key), mac: macOf(key, seq, hash, at, prevMac) }
}

/** signedBy tells whether key made this checkpoint's mac. */
export function signedBy(key: string, c: Checkpoint): boolean {
  const want = Buffer.from(macOf(key, c.seq, c.hash, c.at, c.prevMac), 'hex')
  const got = Buffer.from(c.mac, 'hex')
  return got.length === want.length && timingSafeEqual(got, want)
}

function macOf(key: string, seq: number, hash: string, at: number, prevMac: string): string {
  // A version tag first, so a mac from any other use of the key can never pass for a checkpoint's.
  const text = `jiancha-audit-checkpoint/v1\n${seq}\n${hash}\n${new Date(at).toISOString()}\n${prevMac}`
  return createHmac('sha256', key).update(text, 'utf8').digest('hex')
}
