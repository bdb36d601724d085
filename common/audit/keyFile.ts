/**
 * The signing key's file, for deployments that set no AUDIT_KEY: made once with 32
 * random bytes and mode 0600, beside the embedded data but never in the database.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { MIN_KEY_LENGTH } from './signature.ts'

/** loadOrCreateKey reads the key at path, or writes a new one there; `created` says which. */
export function loadOrCreateKey(path: string): { key: string; created: boolean } {
  try {
    const key = readFileSync(path, 'utf8').trim()
    if (key.length < MIN_KEY_LENGTH) throw new Error(`audit: the key in ${path} is shorter than ${MIN_KEY_LENGTH} characters`)
    return { key, created: false }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  const key = randomBytes(32).toString('hex')
  mkdirSync(dirname(path), { recursive: true })
  // wx: two processes starting at once must not both write a key.
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKey(path)
    throw e
  }
  return { key, created: true }
}
