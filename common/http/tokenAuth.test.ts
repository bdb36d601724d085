import { describe, expect, it } from 'vitest'
import { SourceAuth } from './tokenAuth.ts'

describe('SourceAuth', () => {
  const auth = new SourceAuth([{ name: 'hall', token: 'hall-token-0123456789' }])

  it('maps a bearer token to its source', () => {
    expect(auth.sourceOf('Bearer hall-token-0123456789')).toBe('hall')
    expect(auth.sourceOf('bearer hall-token-0123456789 ')).toBe('hall')
  })

  it('refuses a missing, malformed or unknown token', () => {
    for (const h of [undefined, '', 'hall-token-0123456789', 'Basic aGFsbA==', 'Bearer nope']) expect(auth.sourceOf(h)).toBeNull()
  })

  it('accepts sources added later', () => {
    auth.add({ name: 'simulator', token: 'sim-token-0123456789' })
    expect(auth.sourceOf('Bearer sim-token-0123456789')).toBe('simulator')
  })
})
