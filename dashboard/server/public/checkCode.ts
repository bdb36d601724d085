/**
 * Check codes (查询码) of the public case lookup, pure: a code is 8 characters of an
 * alphabet without look-alikes (no 0/O, 1/I/L), about 40 bits, and is kept only as an
 * HMAC-SHA256 under a server key of (kind, case id, code), so a copy of the database
 * alone cannot be searched for codes.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto'

/** CODE_ALPHABET is what a code is written in: 31 characters, no look-alikes (8 of them: about 40 bits). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const CODE_LENGTH = 8

/** newCode draws a fresh code from the crypto RNG. */
export function newCode(): string {
  let s = ''
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return s
}

/** normalizeCode reads a code as a person types it: case, spaces and dashes do not matter; null when it cannot be one. */
export function normalizeCode(s: string): string | null {
  const c = s.replace(/[\s-]/g, '').toUpperCase()
  return c.length === CODE_LENGTH && [...c].every((ch) => CODE_ALPHABET.includes(ch)) ? c : null
}

/** hashCode is the stored form of a case's code. */
export function hashCode(key: string, kind: string, caseId: string, code: string): string {
  return createHmac('sha256', key).update(`${kind}\u0000${caseId}\u0000${code}`).digest('hex')
}

/** sameHash compares two stored forms in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y)
}

/** codeKey derives the check codes' key from the platform's secret, so that no other use of that secret shares it. */
export function codeKey(secret: string): string {
  return createHmac('sha256', secret).update('jiancha/public-check-code/v1').digest('hex')
}
