/**
 * Password hashing with scrypt, a memory-hard KDF from node:crypto. A hash is stored
 * as `scrypt$N$r$p$salt$key` (salt and key in base64url), so parameters can be raised
 * later: verifyPassword says when a stored hash was made with other parameters, and
 * the caller re-hashes on the next successful sign-in.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** ScryptParams are the cost parameters of one hash. */
export interface ScryptParams {
  N: number
  r: number
  p: number
}

/** SCRYPT_PARAMS are the current parameters: 32 MiB and about 0.1 s per hash. */
export const SCRYPT_PARAMS: Readonly<ScryptParams> = { N: 2 ** 15, r: 8, p: 1 }

const SALT_BYTES = 16
const KEY_BYTES = 64
const ENCODED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/

/** Verdict is the answer of verifyPassword: whether it matched, and whether to re-hash. */
export interface Verdict {
  ok: boolean
  /** true when the password matched a hash made with other parameters than `current` */
  rehash: boolean
}

/** hashPassword hashes a password with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, KEY_BYTES, params)
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** verifyPassword checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, encoded: string, current: ScryptParams = SCRYPT_PARAMS): Promise<Verdict> {
  const parsed = parseHash(encoded)
  if (!parsed) return { ok: false, rehash: false }
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.params)
  const ok = timingSafeEqual(key, parsed.key)
  const p = parsed.params
  const stale = p.N !== current.N || p.r !== current.r || p.p !== current.p || parsed.salt.length !== SALT_BYTES || parsed.key.length !== KEY_BYTES
  return { ok, rehash: ok && stale }
}

const dummies = new Map<string, Promise<string>>()

/**
 * dummyHash is a hash no password is known for, at the cost in force. Verifying against
 * it when a username is unknown makes that answer take as long as a wrong password for a
 * real user.
 */
export function dummyHash(params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const key = `${params.N}$${params.r}$${params.p}`
  let d = dummies.get(key)
  if (!d) dummies.set(key, (d = hashPassword(randomBytes(32).toString('base64url'), params)))
  return d
}

function parseHash(encoded: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = ENCODED.exec(encoded)
  if (!m) return null
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])]
  // Bounds keep a tampered row from making one sign-in allocate gigabytes.
  const sane = N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16
  const salt = Buffer.from(m[4]!, 'base64url')
  const key = Buffer.from(m[5]!, 'base64url')
  if (!sane || salt.length < 8 || key.length < 16) return null
  return { params: { N, r, p }, salt, key }
}

function derive(password: string, salt: Buffer, keylen: number, { N, r, p }: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that at N=2^15, r=8.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }
  // NFC: the same Chinese password typed on two input methods is the same string.
  const pw = password.normalize('NFC')
  return new Promise((ok, fail) => scrypt(pw, salt, keylen, options, (err, key) => (err ? fail(err) : ok(key))))
}
