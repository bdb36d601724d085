import { describe, expect, it } from 'vitest'
import { CODE_ALPHABET, codeKey, hashCode, newCode, normalizeCode, sameHash } from './checkCode.ts'

describe('check codes', () => {
  it('draws 8 characters without look-alikes, all different enough', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newCode()))
    expect(codes.size).toBe(200)
    for (const c of codes) expect(c).toMatch(new RegExp(`^[${CODE_ALPHABET}]{8}$`))
    expect(CODE_ALPHABET).not.toMatch(/[01IOL]/)
  })

  it('reads a code as typed, and refuses what cannot be one', () => {
    expect(normalizeCode(' abcd-ef23 ')).toBe('ABCDEF23')
    expect(normalizeCode('ABCDEF2')).toBeNull()
    expect(normalizeCode('ABCDEF20')).toBeNull()
  })

  it('binds the hash to the key, the case and the code', () => {
    const k = codeKey('a platform secret of thirty-two characters')
    const h = hashCode(k, 'approval', 'A-1', 'ABCDEF23')
    expect(sameHash(h, hashCode(k, 'approval', 'A-1', 'ABCDEF23'))).toBe(true)
    expect(sameHash(h, hashCode(k, 'approval', 'A-2', 'ABCDEF23'))).toBe(false)
    expect(sameHash(h, hashCode(k, 'approval', 'A-1', 'ABCDEF24'))).toBe(false)
    expect(sameHash(h, hashCode(codeKey('another secret'), 'approval', 'A-1', 'ABCDEF23'))).toBe(false)
    expect(h).not.toContain('ABCDEF23')
  })
})
