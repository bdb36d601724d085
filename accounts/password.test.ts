import { describe, expect, it } from 'vitest'
import { dummyHash, hashPassword, SCRYPT_PARAMS, verifyPassword } from './password.ts'

describe('password hashing', () => {
  it('encodes scrypt$N$r$p$salt$key with N=2^15, r=8, p=1, a 16-byte salt and a 64-byte key', async () => {
    const h = await hashPassword('correct horse battery')
    const [scheme, N, r, p, salt, key] = h.split('$')
    expect([scheme, N, r, p]).toEqual(['scrypt', '32768', '8', '1'])
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16)
    expect(Buffer.from(key!, 'base64url')).toHaveLength(64)
  })

  it('salts every hash afresh', async () => {
    expect(await hashPassword('same password!')).not.toBe(await hashPassword('same password!'))
  })

  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse battery')
    expect(await verifyPassword('correct horse battery', h)).toEqual({ ok: true, rehash: false })
    expect(await verifyPassword('correct horse batterY', h)).toEqual({ ok: false, rehash: false })
    expect(await verifyPassword('', h)).toEqual({ ok: false, rehash: false })
  })

  it('treats the NFC and NFD spellings of a password as one', async () => {
    const h = await hashPassword('café-password-1')
    expect((await verifyPassword('cafe\u0301-password-1', h)).ok).toBe(true)
  })

  it('asks for a re-hash when the stored parameters are not the current ones', async () => {
    const old = await hashPassword('an older password', { N: 2 ** 14, r: 8, p: 1 })
    expect(await verifyPassword('an older password', old)).toEqual({ ok: true, rehash: true })
    // A wrong password never triggers a re-hash.
    expect(await verifyPassword('not the password', old)).toEqual({ ok: false, rehash: false })
    expect(await verifyPassword('an older password', old, { N: 2 ** 14, r: 8, p: 1 })).toEqual({ ok: true, rehash: false })
    expect(SCRYPT_PARAMS).toEqual({ N: 32768, r: 8, p: 1 })
  })

  it('never matches a malformed or absurd hash', async () => {
    for (const bad of ['', 'plain', 'scrypt$32768$8$1$$', 'bcrypt$2a$10$abc', 'scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      expect(await verifyPassword('whatever password', bad)).toEqual({ ok: false, rehash: false })
    }
  })

  it('keeps one dummy hash that no typed password matches', async () => {
    const d = await dummyHash()
    expect(await dummyHash()).toBe(d)
    expect(d).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect((await verifyPassword('', d)).ok).toBe(false)
  })
})
