import { describe, expect, it } from 'vitest'
import { GENESIS } from './chain.ts'
import { keyIdOf, sign, signedBy } from './signature.ts'

const KEY = 'k'.repeat(32)
const H = 'a'.repeat(64)

describe('checkpoint signatures', () => {
  it('holds for the key that signed, and for no other', () => {
    const c = sign(KEY, 7, H, Date.UTC(2026, 11, 3), GENESIS)
    expect(c).toMatchObject({ seq: 7, hash: H, prevMac: GENESIS, keyId: keyIdOf(KEY) })
    expect(signedBy(KEY, c)).toBe(true)
    expect(signedBy('x'.repeat(32), c)).toBe(false)
  })

  it('breaks when any signed field changes', () => {
    const c = sign(KEY, 7, H, Date.UTC(2026, 11, 3), GENESIS)
    for (const changed of [{ seq: 8 }, { hash: 'b'.repeat(64) }, { at: c.at + 1 }, { prevMac: 'c'.repeat(64) }, { mac: c.mac.replace(/.$/, (d) => (d === '0' ? '1' : '0')) }, { mac: 'zz' }]) {
      expect(signedBy(KEY, { ...c, ...changed }), JSON.stringify(changed)).toBe(false)
    }
  })

  it('names a key without revealing it', () => {
    expect(keyIdOf(KEY)).toMatch(/^[0-9a-f]{12}$/)
    expect(keyIdOf(KEY)).not.toBe(keyIdOf(`${KEY}x`))
  })
})
