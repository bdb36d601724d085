import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadOrCreateKey } from './keyFile.ts'

describe('loadOrCreateKey', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-key-'))
  afterEach(() => rmSync(join(dir, 'k'), { recursive: true, force: true }))

  it('makes a key readable by its owner only, then reads the same one back', () => {
    const path = join(dir, 'k', 'audit.key')
    const made = loadOrCreateKey(path)
    expect(made.created).toBe(true)
    expect(made.key).toMatch(/^[0-9a-f]{64}$/)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(loadOrCreateKey(path)).toEqual({ key: made.key, created: false })
  })

  it('refuses a key file too short to be a key', () => {
    const path = join(dir, 'short.key')
    writeFileSync(path, 'abc\n')
    expect(() => loadOrCreateKey(path)).toThrow(/shorter than 32/)
  })
})
